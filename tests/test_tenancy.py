"""Every URL that serves organization-owned data answers 404 to other organizations.

The sweep walks the whole URL configuration, so a view added later is covered without
editing this file; a URL with an id this file does not know fails until it is taught here.
"""

from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from audits.models import Audit, AuditTool
from benchmark.models import Response
from core.models import Membership
from reports.models import BoardReport
from tests.factories import MembershipFactory
from webhooks.models import Attempt, Delivery, Endpoint, Event
from workflows.models import CandidateWorkflow, IngestEndpoint, N8nConnection, Review, Step

# URLs that are deliberately not scoped to an organization, and why.
NOT_ORG_SCOPED = {
    "benchmark:landing": "public page",
    "benchmark:profile": "anonymous self-score",
    "benchmark:question": "anonymous self-score; the number is a question, not an object",
    "benchmark:result": "the unguessable UUID4 is the result's key by design",
    "benchmark:result-email": "the unguessable UUID4 is the result's key by design",
    "reports:self-score-pdf": "the unguessable UUID4 is the result's key by design",
    "core:home": "lists the user's own memberships",
    "core:login": "sign-in",
    "core:invitation-accept": "the emailed token is the credential",
    "audits:pipeline": "lists only audits of organizations the user consults for",
    "firms:link": "a firm's public benchmark link",
    "firms:embed": "a firm's public benchmark link, embedded",
    "firms:embed-result": "the unguessable UUID4 is the result's key; 404 unless the firm's lead",
    "firms:logo": "a firm's public logo",
    "firms:audit-request": "the unguessable UUID4 is the result's key by design",
}
# The run-ingest API (workflows.ingest.api): no session; the URL's key names a workflow's
# endpoint and the Standard Webhooks signature under its secret is the credential
# (tests/workflows/test_ingest_api.py: an unknown key or a bad signature answers 401).
SIGNED_API_PREFIX = "ingest-api:"
TOKEN_PREFIX = "audits:link-"  # the share link's token is the credential
AUTH_NAMES = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}
KNOWN_KWARGS = {
    "org_slug",
    "audit_id",
    "row_id",
    "workflow_id",
    "kind",
    "step_id",
    "milestone_id",
    "import_id",
    "stage",
    "report_id",
    "response_id",
    "endpoint_id",
    "delivery_id",
}


def walk_views(patterns, namespace="", kwargs=frozenset()):
    """Yield ``(name, kwarg names, view)`` for every named URL under ``patterns``."""
    for entry in patterns:
        found = kwargs | set(entry.pattern.converters)
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns == "admin":
                continue  # staff only, behind is_staff
            prefix = f"{namespace}{ns}:" if ns else namespace
            yield from walk_views(entry.url_patterns, prefix, found)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", frozenset(found), entry.callback


def walk(patterns):
    """Yield ``(name, kwarg names)`` for every named URL under ``patterns``."""
    for name, kwargs, _ in walk_views(patterns):
        yield name, kwargs


def org_scoped_urls():
    urls = {}
    for name, kwargs in walk(get_resolver().url_patterns):
        if (
            name in NOT_ORG_SCOPED
            or name.startswith((TOKEN_PREFIX, SIGNED_API_PREFIX))
            or name in AUTH_NAMES
        ):
            continue
        urls[name] = kwargs
    return sorted(urls.items())


MISSING = SimpleNamespace(slug="no-such-organization", pk=987654321)


def url(
    name,
    kwargs,
    *,
    org,
    audit=MISSING,
    tool=MISSING,
    candidate=MISSING,
    step=MISSING,
    milestone=MISSING,
    data_import=MISSING,
    report=MISSING,
    response=MISSING,
    firm=MISSING,
    endpoint=MISSING,
    delivery=MISSING,
):
    """Reverse ``name`` with the given objects standing for its ids."""
    unknown = kwargs - KNOWN_KWARGS
    assert not unknown, f"{name} takes {unknown}: teach this sweep which object they name"
    if name.startswith("webhooks:"):
        org = firm  # a firm's pages: its slug is the URL's org_slug
    values = {
        "org_slug": org.slug,
        "audit_id": audit.pk,
        "kind": "current",
        "row_id": tool.pk if "tool" in name else candidate.pk,
        "workflow_id": candidate.pk,
        "step_id": step.pk,
        "milestone_id": milestone.pk,
        "import_id": data_import.pk,
        "stage": 30,
        "report_id": report.pk,
        "response_id": response.pk,
        "endpoint_id": endpoint.pk,
        "delivery_id": delivery.pk,
    }
    return reverse(name, kwargs={k: values[k] for k in kwargs})


def test_the_sweep_finds_the_org_scoped_urls():
    names = {name for name, _ in org_scoped_urls()}
    assert {
        "benchmark:dashboard",
        "core:members",
        "audits:list",
        "audits:review",
        "audits:intake",
        "audits:tool-delete",
        "audits:candidate-save",
        "workflows:map",
        "workflows:step-update",
        "workflows:import",
        "workflows:import-mapping",
        "workflows:import-retry",
        "workflows:candidate-edit",
        "workflows:candidate-delete",
        "workflows:ingest-secret",
        "workflows:n8n-connection",
        "workflows:n8n-pull",
        "webhooks:endpoints",
        "webhooks:endpoint-edit",
        "webhooks:replay",
        "webhooks:log",
    } <= names


def assert_hidden(client, method, target, missing):
    """Another organization's object must answer exactly as a missing one does: 404, or
    405 where the method is checked before any lookup (the same for every id)."""
    send = getattr(client, method)
    got = send(target, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="crm").status_code
    baseline = send(missing, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="crm").status_code
    assert got in (404, 405), f"{method.upper()} {target} answered {got}"
    assert got == baseline, f"{method.upper()} {target} answered {got}, a missing id {baseline}"


@pytest.mark.parametrize(("name", "kwargs"), org_scoped_urls())
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_organization_gets_404(client, two_orgs, name, kwargs, method):
    t = two_orgs
    client.force_login(t.outsider.user)
    owned = t.owned
    # The owner's organization (or firm) in the URL: the outsider has no membership there.
    assert_hidden(
        client,
        method,
        url(name, kwargs, org=t.owner.organization, **owned),
        url(name, kwargs, org=MISSING, **{**owned, "firm": MISSING}),
    )
    # The outsider's own firm with the owner's endpoint or delivery in it.
    if kwargs & {"endpoint_id", "delivery_id"}:
        assert_hidden(
            client,
            method,
            url(name, kwargs, org=MISSING, **{**owned, "firm": t.outsider_firm}),
            url(name, kwargs, org=MISSING, firm=t.outsider_firm),
        )
    # The outsider's own organization with the owner's audit, candidate, row or report in it.
    if kwargs & {"audit_id", "workflow_id", "row_id", "report_id", "response_id"}:
        assert_hidden(
            client,
            method,
            url(name, kwargs, org=t.outsider.organization, **owned),
            url(name, kwargs, org=t.outsider.organization),
        )
    # The outsider's own audit with the owner's row in it.
    if "row_id" in kwargs:
        theirs = {"audit": t.outsider_audit}
        assert_hidden(
            client,
            method,
            url(
                name,
                kwargs,
                org=t.outsider.organization,
                tool=t.tool,
                candidate=t.candidate,
                **theirs,
            ),
            url(name, kwargs, org=t.outsider.organization, **theirs),
        )
    # The outsider's own workflow with the owner's milestone or import in it.
    if kwargs & {"milestone_id", "import_id"}:
        theirs = {"candidate": t.outsider_candidate}
        assert_hidden(
            client,
            method,
            url(
                name,
                kwargs,
                org=t.outsider.organization,
                milestone=t.milestone,
                data_import=t.data_import,
                **theirs,
            ),
            url(name, kwargs, org=t.outsider.organization, **theirs),
        )
    # The outsider's own workflow with the owner's step in it.
    if "step_id" in kwargs:
        theirs = {"candidate": t.outsider_candidate}
        assert_hidden(
            client,
            method,
            url(name, kwargs, org=t.outsider.organization, step=t.step, **theirs),
            url(name, kwargs, org=t.outsider.organization, **theirs),
        )
    t.audit.refresh_from_db()
    assert t.audit.status == Audit.Status.DRAFT and t.audit.crm == ""
    assert AuditTool.objects.filter(pk=t.tool.pk).exists()
    assert CandidateWorkflow.objects.filter(pk=t.candidate.pk, portfolio_position=None).exists()
    assert list(Step.objects.filter(map__workflow=t.candidate).values_list("name", flat=True)) == [
        "Look up the lead"
    ]
    assert t.candidate.maps.get().trigger == ""
    assert BoardReport.objects.get(pk=t.report.pk).status == "failed"  # no retry went through
    t.milestone.refresh_from_db()
    assert t.milestone.done_at is None
    t.data_import.refresh_from_db()
    assert (t.data_import.status, t.data_import.options) == ("failed", {})
    assert not Review.objects.filter(workflow=t.candidate, completed_at__isnull=False).exists()
    assert not Response.objects.filter(is_headline=True).exists()
    assert not IngestEndpoint.objects.exists() and not N8nConnection.objects.exists()
    endpoint = Endpoint.objects.get(pk=t.endpoint.pk)  # not deleted, edited, rotated or tested
    assert (endpoint.url, endpoint.is_enabled) == ("https://crm.example.com/hooks", True)
    assert endpoint.secret == t.endpoint.secret
    assert Event.objects.filter(organization=t.firm).count() == 1
    assert not Attempt.objects.exists()
    assert Delivery.objects.get(pk=t.delivery.pk).status == "failed"  # no replay went through


@pytest.mark.parametrize(("name", "kwargs"), org_scoped_urls())
def test_anonymous_visitors_are_sent_to_sign_in(client, two_orgs, name, kwargs):
    t = two_orgs
    owned = t.owned
    response = client.get(url(name, kwargs, org=t.owner.organization, **owned))
    assert response.status_code in (302, 405)
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")


def test_a_share_link_opens_only_its_own_audit(client, two_orgs):
    t = two_orgs
    target = f"/audit/{t.outsider_audit.share_token}/tools/{t.tool.pk}/delete/"
    assert client.post(target).status_code == 404
    assert AuditTool.objects.filter(pk=t.tool.pk).exists()


def test_members_cannot_take_consultant_actions(client, two_orgs):
    owner, audit = two_orgs.owner, two_orgs.audit
    member = MembershipFactory(organization=owner.organization, role=Membership.Role.MEMBER)
    client.force_login(member.user)
    review = f"/orgs/{owner.organization.slug}/audits/{audit.pk}/review/"
    assert client.get(review).status_code == 403
    assert client.post(review, {"action": "status", "status": "won"}).status_code == 403
    audit.refresh_from_db()
    assert audit.status == Audit.Status.DRAFT


# The firm's own pages: the sweep above reaches them with a client organization's slug
# (404 for the kind alone); here a consultant of another firm tries a firm's.
FIRM_URLS = [(name, kwargs) for name, kwargs in org_scoped_urls() if name.startswith("firms:")]


def test_the_sweep_finds_the_firm_urls():
    assert {name for name, _ in FIRM_URLS} == {"firms:settings", "firms:leads", "firms:leads-csv"}


@pytest.mark.parametrize(("name", "kwargs"), FIRM_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_firm_gets_404(client, db, name, kwargs, method):
    from firms.models import FirmProfile
    from tests.factories import OrganizationFactory

    owner = MembershipFactory(
        organization=OrganizationFactory(kind="firm"), role=Membership.Role.CONSULTANT
    )
    FirmProfile.objects.create(firm=owner.organization, accent_color="#123456")
    outsider = MembershipFactory(
        organization=OrganizationFactory(kind="firm"), role=Membership.Role.CONSULTANT
    )
    client.force_login(outsider.user)
    target = url(name, kwargs, org=owner.organization)
    assert_hidden(client, method, target, url(name, kwargs, org=MISSING))
    client.force_login(owner.user)
    assert client.get(target).status_code == 200  # the firm's own consultant gets it
    assert FirmProfile.objects.get(firm=owner.organization).accent_color == "#123456"
