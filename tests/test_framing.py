"""Who may frame the app: nobody, except a firm's listed origins on its embed path.

The sweep walks every URL of the configuration (like tests/test_tenancy.py), so a page
added later is covered: each answers with ``frame-ancestors 'none'`` in its CSP and
``X-Frame-Options: DENY``, unless it is one of the embed pages, which name exactly the
firm's origins and send no ``X-Frame-Options``.
"""

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from core.models import Organization
from firms.models import FirmProfile
from tests.firms.conftest import PROFILE, take_selfscore, token_of
from tests.test_tenancy import walk

ORIGINS = ["https://www.harbor.example", "http://localhost:8001"]
EMBED_PAGES = {"firms:embed", "firms:embed-result"}
AUTH = {"password_reset_confirm": {"uidb64": "MQ", "token": "set-password"}}


def csp_directives(reply) -> dict[str, list[str]]:
    policy = reply.get("Content-Security-Policy", "")
    return {parts[0]: parts[1:] for parts in (d.split() for d in policy.split(";") if d.strip())}


@pytest.fixture
def embed_firm(db):
    firm = Organization.objects.create(name="Harbor Advisory", slug="harbor", kind="firm")
    FirmProfile.objects.create(firm=firm, embed_origins=ORIGINS)
    return firm


def every_url(t, firm, public_id):
    """``(name, path)`` for every named URL, with objects standing for its ids."""
    values = {
        "org_slug": t.owner.organization.slug,
        "audit_id": t.audit.pk,
        "kind": "current",
        "workflow_id": t.candidate.pk,
        "step_id": t.step.pk,
        "milestone_id": t.milestone.pk,
        "import_id": t.data_import.pk,
        "stage": 30,
        "report_id": t.report.pk,
        "response_id": t.response.pk,
        "firm_slug": firm.slug,
        "public_id": public_id,
        "token": t.audit.share_token,
        "number": 1,
        "key": "an-unknown-ingest-key",
        "endpoint_id": t.endpoint.pk,
        "delivery_id": t.delivery.pk,  # the signed ingest API: answers 401, framed by none
    }
    for name, kwargs in sorted(walk(get_resolver().url_patterns)):
        if name in AUTH:
            yield name, reverse(name, kwargs=AUTH[name])
            continue
        row = {"row_id": t.tool.pk if "tool" in name else t.candidate.pk}
        unknown = kwargs - values.keys() - row.keys()
        assert not unknown, f"{name} takes {unknown}: teach this sweep"
        yield name, reverse(name, kwargs={k: {**values, **row}[k] for k in kwargs})


def test_nothing_but_the_embed_pages_can_be_framed(client, two_orgs, embed_firm):
    reply, _ = take_selfscore(client, "/b/harbor/embed/")
    public_id = reply["Location"].rstrip("/").rsplit("/", 1)[-1]
    client.force_login(two_orgs.owner.user)
    seen = set()
    for name, path in every_url(two_orgs, embed_firm, public_id):
        seen.add(name)
        for method in ("get", "post"):
            answer = getattr(client, method)(path)
            ancestors = csp_directives(answer).get("frame-ancestors")
            where = f"{method.upper()} {path} ({name}, {answer.status_code})"
            if name in EMBED_PAGES and answer.status_code not in (404, 405):
                assert ancestors == ORIGINS, where
                assert "X-Frame-Options" not in answer, where
            else:
                assert ancestors == ["'none'"], f"{where}: frame-ancestors {ancestors}"
                assert answer.get("X-Frame-Options") == "DENY", where
    assert EMBED_PAGES | {"firms:link", "benchmark:result", "audits:intake"} <= seen


def test_a_firm_without_origins_cannot_be_framed(client, embed_firm):
    FirmProfile.objects.filter(firm=embed_firm).update(embed_origins=[])
    reply = client.get("/b/harbor/embed/")
    assert csp_directives(reply)["frame-ancestors"] == ["'none'"]
    assert reply["X-Frame-Options"] == "DENY"


def test_the_embed_path_works_without_any_cookie(embed_firm):
    """Inside a third-party iframe neither the session nor the CSRF cookie is sent."""
    browser = Client(enforce_csrf_checks=True)
    reply, _ = take_selfscore(browser, "/b/harbor/embed/")
    assert reply.status_code == 302
    assert reply["Location"].startswith("/b/harbor/embed/results/")
    assert "sessionid" not in browser.cookies and "csrftoken" not in browser.cookies
    page = browser.get(reply["Location"]).content.decode()
    assert 'id="completed-message"' in page
    assert '"score": 66.7' in page and '"tier": "on_pace"' in page
    assert "@" not in page.split('id="completed-message"')[1].split("</script>")[0]
    assert '["https://www.harbor.example", "http://localhost:8001"]' in page


def test_another_firms_embed_result_is_not_shown(client, embed_firm):
    other = Organization.objects.create(name="Other", slug="other", kind="firm")
    FirmProfile.objects.create(firm=other, embed_origins=["https://evil.example"])
    reply, _ = take_selfscore(client, "/b/harbor/embed/")
    public_id = reply["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert client.get(f"/b/other/embed/results/{public_id}/").status_code == 404


def test_a_token_from_the_embed_of_another_firm_is_refused(client, embed_firm):
    Organization.objects.create(name="Other", slug="other", kind="firm")
    token = token_of(client.post("/b/other/embed/", PROFILE))
    reply = client.post("/b/harbor/embed/", {"state": token, "paid": "3", "daily": "3"})
    assert reply.status_code == 400
