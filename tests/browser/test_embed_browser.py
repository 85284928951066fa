"""The benchmark embedded on a firm's own site: a parent page on another site than the app
(``localhost`` against ``127.0.0.1``, so the browser sends the iframe no cookie), the
self-score completed inside the iframe, and the finished event posted to the parent."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core.models import Organization
from firms.models import FirmProfile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARENT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Harbor Advisory</title></head>
<body>
<h1>Harbor Advisory: how mature is your marketing AI?</h1>
<pre id="messages"></pre>
<iframe id="bench" src="{src}" title="AI Marketing Maturity Benchmark" width="960" height="900"></iframe>
<script>
  window.addEventListener("message", function (event) {{
    document.getElementById("messages").textContent +=
      JSON.stringify({{origin: event.origin, data: event.data}}) + "\\n";
  }});
  document.getElementById("bench").addEventListener("load", function () {{
    document.body.dataset.loads = String(Number(document.body.dataset.loads || 0) + 1);
  }});
</script>
</body></html>"""


class ParentSite:
    """A page of the firm's own site, served on 127.0.0.1 at an ephemeral port and
    visited as ``http://localhost:<port>``."""

    def __init__(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = site.html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.html = ""
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://localhost:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def answer_profile_and_question_1(frame, paid="5", daily="5") -> None:
    """The profile and question 1 of a firm's link in ``frame``, answered as a visitor
    does; question 2 follows."""
    frame.get_by_text("$5M to $20M").click()
    frame.get_by_text("B2B", exact=True).click()
    frame.get_by_text("6 to 15").click()
    frame.get_by_role("button", name="Next: question 1").click()
    frame.get_by_label("AI tools your team pays for").fill(paid)
    frame.get_by_label("Of those, used every working day").fill(daily)
    frame.get_by_role("button", name="Next", exact=True).click()


def answer_every_question(frame) -> None:
    """The profile and the 15 questions of a firm's link in ``frame``, answered as a
    visitor does (every answer at level 2), up to the last page before the result."""
    answer_profile_and_question_1(frame)
    for number in range(2, 16):
        frame.get_by_text(f"Question {number} of 15", exact=True).wait_for()
        frame.locator("input[name=answer][value='2']").check()
        frame.get_by_role("button", name="Next", exact=True).click()


@pytest.fixture
def parent_sites():
    sites = [ParentSite(), ParentSite()]
    yield sites
    for site in sites:
        site.close()


@pytest.fixture
def app_origin(live_server):
    # The app as 127.0.0.1, whatever name the live server was started under: another
    # site than the parent's localhost.
    return f"http://127.0.0.1:{live_server.thread.port}"


def test_a_listed_site_embeds_the_self_score_and_hears_the_result(
    page, parent_sites, app_origin, screenshot
):
    listed, _ = parent_sites
    firm = Organization.objects.create(name="Harbor Advisory", slug="harbor", kind="firm")
    FirmProfile.objects.create(firm=firm, accent_color="#7a1f5c", embed_origins=[listed.origin])
    listed.html = PARENT.format(src=f"{app_origin}/b/harbor/embed/")

    page.goto(listed.origin + "/")
    frame = page.frame_locator("#bench")
    answer_every_question(frame)
    frame.get_by_label("Work email (optional)").fill("vp@buyer.example")
    frame.get_by_label("I agree that Harbor Advisory may email me").check()
    frame.get_by_role("button", name="See my result").click()

    frame.get_by_text("On Pace").first.wait_for()
    page.wait_for_function("document.getElementById('messages').textContent.length > 0")
    [line] = page.locator("#messages").inner_text().strip().splitlines()
    event = json.loads(line)
    assert event["origin"] == app_origin
    assert event["data"] == {
        "type": "maturity-benchmark:completed",
        "score": 66.7,
        "tier": "on_pace",
        "widest_gap": event["data"]["widest_gap"],
    }
    assert event["data"]["widest_gap"]
    assert "vp@buyer.example" not in line  # never the email
    assert firm.leads.get().email == "vp@buyer.example"
    assert firm.leads.get().source == "embed"
    screenshot(page, "embed-result")
    assert page.js_errors == []


def test_a_site_that_is_not_listed_is_refused_framing(page, parent_sites, app_origin):
    listed, unlisted = parent_sites
    firm = Organization.objects.create(name="Harbor Advisory", slug="harbor", kind="firm")
    FirmProfile.objects.create(firm=firm, embed_origins=[listed.origin])
    unlisted.html = PARENT.format(src=f"{app_origin}/b/harbor/embed/")

    page.goto(unlisted.origin + "/")
    page.wait_for_function("document.body.dataset.loads === '1'")
    [child] = [f for f in page.frames if f != page.main_frame]
    assert not child.url.startswith(app_origin)  # the browser put its error page there
    assert child.locator("form").count() == 0
    assert any("frame-ancestors" in error for error in page.js_errors)
