"""Whole signed-in pages kept in the cache (core.page_cache).

A sweep over every page that keeps them, so a page opted in later is covered without editing
this file but for naming it: as its member sees it, a second load comes from the cache and
shows the same page with a working CSRF token of its own; a write made by
``QuerySet.update`` (which sends no signal) is on the next load; another organization's
member gets 404 all the same. Then what keeps a page out of the cache, on views of this
module's own (``urlpatterns`` below).
"""

import re

import pytest
from django.contrib import messages
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, path
from django.views.decorators.clickjacking import xframe_options_exempt

from core.models import Organization
from core.page_cache import _split_on_tokens, cached_page, written_version
from tests.test_tenancy import url, walk_views

# Every URL whose view keeps whole pages. The sweep fails on one not named here.
PAGE_CACHED = {
    "benchmark:result",
    "benchmark:dashboard",
    "audits:pipeline",
    "audits:intake",
    "audits:link-intake",
    "workflows:candidates",
    "workflows:portfolio",
    "workflows:map",
    "workflows:plan",
    "workflows:data",
    "workflows:review",
}
TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def page_cached_urls():
    return {
        name: kwargs
        for name, kwargs, view in walk_views(get_resolver().url_patterns)
        if getattr(view, "page_cached", False)
    }


def page_url(name, kwargs, t):
    if name == "audits:link-intake":
        return f"/audit/{t.audit.share_token}/"
    if name == "benchmark:result":
        return f"/results/{t.response.public_id}/"
    return url(name, kwargs, org=t.owner.organization, **t.owned)


def tokens(html, secret):
    """The masked CSRF tokens of ``secret`` in ``html``."""
    return [t for t in TOKEN.findall(html) if _unmask_cipher_token(t) == secret]


def load(client, target):
    """``(html, queries)`` of a GET that must answer 200."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(target)
    assert response.status_code == 200, f"{target}: {response.status_code}"
    return response.content.decode(), len(queries)


@pytest.fixture
def postgresql(transactional_db):
    """Committed writes, as in production: inside a test's transaction nothing is kept."""
    if connection.vendor != "postgresql":
        pytest.skip("pages are kept on PostgreSQL only (its snapshot is the key)")


def test_the_sweep_knows_every_page_that_keeps_pages():
    assert set(page_cached_urls()) == PAGE_CACHED


@pytest.mark.parametrize("name", sorted(PAGE_CACHED))
def test_a_kept_page_is_the_page_until_anything_is_written(
    postgresql, client, two_orgs, settings, name
):
    t = two_orgs
    target = page_url(name, page_cached_urls()[name], t)
    client.force_login(t.owner.user)
    client.get("/home/")  # the CSRF cookie, as a browser has it after its first page
    secret = client.cookies["csrftoken"].value

    drawn, drawn_queries = load(client, target)
    kept, kept_queries = load(client, target)

    # From the cache: the session's user and the snapshot, nothing of the page's own.
    assert kept_queries <= 2 < drawn_queries, (kept_queries, drawn_queries)
    # The same page, each load with tokens of its own that the CSRF check accepts.
    assert "<t>".join(_split_on_tokens(kept, secret)) == "<t>".join(_split_on_tokens(drawn, secret))
    assert len(tokens(kept, secret)) == len(tokens(drawn, secret))
    assert not set(tokens(kept, secret)) & set(tokens(drawn, secret))

    # Any write, even one that sends no signal, and the next load draws the page again.
    org = t.owner.organization
    Organization.objects.filter(pk=org.pk).update(name="Renamed by an update")
    after, after_queries = load(client, target)
    assert after_queries > kept_queries  # drawn again
    if org.name in drawn:
        assert "Renamed by an update" in after

    # Another member asking for the same URL gets their own answer (a 404 for another
    # organization's page), as drawn for them with the cache off.
    client.force_login(t.outsider.user)
    client.get("/home/")
    secret = client.cookies["csrftoken"].value
    theirs = client.get(target)
    settings.PAGE_CACHE_SECONDS = 0
    drawn_for_them = client.get(target)
    assert theirs.status_code == drawn_for_them.status_code
    assert _split_on_tokens(theirs.content.decode(), secret) == _split_on_tokens(
        drawn_for_them.content.decode(), secret
    )


def test_the_dashboard_shows_a_new_retake_on_the_next_load(postgresql, client, two_orgs):
    from tests.factories import response_create

    t = two_orgs
    client.force_login(t.owner.user)
    dashboard = f"/orgs/{t.owner.organization.slug}/"
    before, _ = load(client, dashboard)
    load(client, dashboard)
    retake = response_create(level=3, membership=t.owner)
    after, _ = load(client, dashboard)
    assert str(retake.public_id) in after and str(retake.public_id) not in before


# Views of this module's own, for what keeps a page out of the cache.
DRAWN = []


def _page(request, extra=""):
    DRAWN.append(request.path)
    html = engines["django"].from_string("<form>{% csrf_token %}</form>" + extra)
    return HttpResponse(html.render({}, request))


@cached_page
def plain(request):
    return _page(request)


@cached_page
def writes(request):
    Organization.objects.create(name="Made on GET", slug=f"made-{len(DRAWN)}")
    return _page(request)


@cached_page
def session_write(request):
    request.session["seen"] = len(DRAWN)
    return _page(request)


@cached_page
def queues_message(request):
    messages.info(request, "Queued on GET")
    return _page(request)


@cached_page
def sets_header(request):
    response = _page(request)
    response["HX-Trigger"] = "saved"
    return response


@cached_page
@xframe_options_exempt
def framable(request):
    return _page(request)


@cached_page
def shows_messages(request):
    return _page(request, "{% for m in messages %}<p>{{ m }}</p>{% endfor %}")


urlpatterns = [
    path("plain/", plain),
    path("writes/", writes),
    path("session-write/", session_write),
    path("queues-message/", queues_message),
    path("sets-header/", sets_header),
    path("framable/", framable),
    path("shows-messages/", shows_messages),
]


def drawn_count(client, target, loads=3, **headers):
    DRAWN.clear()
    for _ in range(loads):
        assert client.get(target, **headers).status_code == 200
    return len(DRAWN)


@pytest.fixture
def member(postgresql, client):
    from tests.factories import MembershipFactory

    client.force_login(MembershipFactory().user)
    return client


@pytest.mark.urls(__name__)
def test_a_signed_in_get_is_drawn_once(postgresql, member):
    assert drawn_count(member, "/plain/") == 1


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "target", ["/writes/", "/session-write/", "/queues-message/", "/sets-header/", "/framable/"]
)
def test_a_view_with_effects_beyond_its_html_is_drawn_every_time(postgresql, member, target):
    assert drawn_count(member, target) == 3


@pytest.mark.urls(__name__)
def test_htmx_requests_and_visitors_not_signed_in_are_drawn(postgresql, member, client):
    assert drawn_count(member, "/plain/", HTTP_HX_REQUEST="true") == 3
    member.logout()
    assert drawn_count(client, "/plain/") == 3


@pytest.mark.urls(__name__)
def test_a_waiting_message_is_shown_not_a_kept_page(postgresql, member):
    assert drawn_count(member, "/shows-messages/", loads=2) == 1
    member.get("/queues-message/")  # queued, not shown: it waits for the next page
    page = member.get("/shows-messages/").content.decode()
    assert "Queued on GET" in page


@pytest.mark.urls(__name__)
def test_pages_are_drawn_every_time_when_turned_off(postgresql, member, settings):
    settings.PAGE_CACHE_SECONDS = 0
    assert drawn_count(member, "/plain/") == 3


def test_the_version_moves_with_a_committed_write_only(postgresql):
    from django.db import transaction

    from tests.factories import MembershipFactory

    before = written_version()
    assert re.fullmatch(r"[0-9a-f]{32}", before)
    Organization.objects.count()
    Organization.objects.filter(name="nobody").update(name="still nobody")  # no row
    assert written_version() == before
    MembershipFactory()
    after = written_version()
    assert after != before
    with transaction.atomic():
        assert written_version() is None  # its own writes may yet roll back
    assert written_version() == after


def test_nothing_is_kept_on_another_database(db):
    if connection.vendor == "postgresql":
        pytest.skip("the SQLite pass")
    assert written_version() is None
