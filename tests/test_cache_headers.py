"""No private response may be stored by a cache: every URL that serves a signed-in user or
organization data, and every private download, says ``Cache-Control: private, no-store``.

The sweep walks the URL configuration like tests/test_tenancy.py, so a view added later is
covered without editing this file.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import get_resolver, reverse

from reports.models import BoardReport
from tests.factories import response_create
from tests.test_tenancy import org_scoped_urls, url, walk


def assert_private(reply, target):
    directives = {d.strip() for d in reply.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= directives, (
        f"{target} ({reply.status_code}) Cache-Control: {reply.get('Cache-Control')}"
    )
    assert "max-age=0" in directives and "Expires" in reply


@pytest.mark.parametrize(("name", "kwargs"), org_scoped_urls())
def test_it_forbids_caching_every_organization_url(client, two_orgs, name, kwargs):
    t = two_orgs
    target = url(name, kwargs, org=t.owner.organization, **t.owned)
    # Anonymous: sent to sign-in, and that redirect is not cached either.
    assert_private(client.get(target), target)
    client.force_login(t.owner.user)
    assert_private(client.get(target), target)
    assert_private(client.get(target, HTTP_HX_REQUEST="true"), target)


SHARE_LINK_URLS = sorted(
    (name, kwargs)
    for name, kwargs in walk(get_resolver().url_patterns)
    if name.startswith("audits:link-")
)


@pytest.mark.parametrize(("name", "kwargs"), SHARE_LINK_URLS)
def test_it_forbids_caching_the_share_link_pages(client, two_orgs, name, kwargs):
    values = {"token": two_orgs.audit.share_token}
    if "row_id" in kwargs:
        values["row_id"] = two_orgs.tool.pk
    target = reverse(name, kwargs=values)
    assert_private(client.get(target), target)


@pytest.mark.django_db
def test_it_forbids_caching_the_result_page_and_sign_in_pages(client):
    response = response_create()
    for target in (
        f"/results/{response.public_id}/",
        f"/results/{response.public_id}/result.pdf",
        "/accounts/login/",
        "/accounts/password_reset/",
        "/invitations/not-a-token/",
    ):
        assert_private(client.get(target), target)


def test_it_forbids_caching_the_private_downloads(client, two_orgs):
    t = two_orgs
    org, workflow = t.owner.organization.slug, t.candidate.pk
    report = BoardReport.objects.create(organization=t.owner.organization, status="done")
    report.file.save("board.pdf", ContentFile(b"%PDF-1.7 test"))
    client.force_login(t.owner.user)
    base = f"/orgs/{org}/workflows/{workflow}/"
    for target, content_type in [
        (f"/orgs/{org}/reports/{report.pk}/download/", "application/pdf"),
        (base + "plan/calendar.ics", "text/calendar"),
        (base + "reviews/30/metrics.csv", "text/csv"),
        (base + "map/current/export.json", "application/json"),
        (base + "map/current/export.bpmn", "application/xml"),
    ]:
        reply = client.get(target)
        assert reply.status_code == 200, target
        assert reply["Content-Type"].startswith(content_type)
        assert_private(reply, target)


@pytest.mark.django_db
def test_it_forbids_caching_a_firms_link_and_its_embed(client):
    from core.selectors import firm_default

    firm = firm_default().slug
    profile = {"revenue_band": "5-20m", "business_model": "b2b", "team_size": "6-15"}
    for target in (f"/b/{firm}/", f"/b/{firm}/embed/"):
        assert_private(client.get(target), target)
        assert_private(client.post(target, profile), target)  # carries the answers so far


@pytest.mark.django_db
def test_it_leaves_the_public_landing_page_cacheable_for_a_visitor(client):
    reply = client.get("/")
    assert "no-store" not in reply.get("Cache-Control", "")
