"""The organization dashboard: latest score, spread across members, retakes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmark.models import Response
from tests.factories import COMPLETED_AT, MembershipFactory, response_create, uniform_answers

pytestmark = pytest.mark.django_db


def take_the_self_score(client):
    client.post(
        "/self-score/", {"revenue_band": "5-20m", "business_model": "b2b", "team_size": "6-15"}
    )
    client.post("/self-score/1/", {"paid": "3", "daily": "3"})
    for number in range(2, 16):
        client.post(f"/self-score/{number}/", {"answer": "1"})


def test_a_signed_in_members_self_score_belongs_to_the_organization(client):
    member = MembershipFactory()
    client.force_login(member.user)
    take_the_self_score(client)
    response = Response.objects.get()
    assert response.organization == member.organization
    assert response.respondent == member.user


def test_an_anonymous_self_score_belongs_to_no_organization(client):
    MembershipFactory()  # an organization exists, and the visitor is not signed in to it
    take_the_self_score(client)
    response = Response.objects.get()
    assert response.organization is None
    assert response.respondent is None


def test_the_dashboard_shows_latest_score_spread_and_history(client):
    vp = MembershipFactory(user__first_name="Vera", user__last_name="Pike")
    team = MembershipFactory(
        organization=vp.organization, user__first_name="Tom", user__last_name="Ives"
    )
    response_create(level=1, membership=vp, completed_at=COMPLETED_AT - timedelta(days=60))
    response_create(level=3, membership=vp, completed_at=COMPLETED_AT)
    answers = uniform_answers(1)
    answers["attribution_flags"] = 0
    response_create(answers=answers, membership=team, completed_at=COMPLETED_AT - timedelta(days=1))
    client.force_login(team.user)
    page = client.get(f"/orgs/{vp.organization.slug}/").content.decode()
    assert "100.0" in page  # latest: the VP's retake
    assert "Vera Pike" in page and "Tom Ives" in page
    assert "3 responses in all" in page
    # Attribution: VP 100, team 0 -> the widest disagreement, 100 points.
    assert "100 pts" in page and "Attribution fidelity" in page
    history = page[page.index('id="history"') :]
    assert history.index("<svg") < history.index("</section>")  # the chart is drawn in it


def test_an_empty_dashboard_invites_the_first_self_score(client):
    member = MembershipFactory()
    client.force_login(member.user)
    page = client.get(f"/orgs/{member.organization.slug}/").content.decode()
    assert "No self-score yet" in page


def test_member_names_are_text_in_the_chart(client):
    member = MembershipFactory(user__first_name="<b>Eve</b>", user__last_name="<img src=x>")
    response_create(membership=member)
    client.force_login(member.user)
    page = client.get(f"/orgs/{member.organization.slug}/").content.decode()
    assert "<b>Eve</b>" not in page and "<img src=x>" not in page
    chart = page[page.index('id="history"') : page.index("</svg>", page.index('id="history"'))]
    assert "&lt;b&gt;Eve&lt;/b&gt; &lt;img src=x&gt;" in chart  # shown as typed, as text


def test_the_dashboard_query_count_does_not_grow_with_responses(client):
    member = MembershipFactory()
    client.force_login(member.user)
    response_create(membership=member)
    url = f"/orgs/{member.organization.slug}/"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for days in range(1, 8):
        response_create(
            membership=MembershipFactory(organization=member.organization),
            completed_at=COMPLETED_AT - timedelta(days=days),
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert 0 < len(few) == len(many)


def test_another_members_retake_does_not_move_the_organizations_score(client):
    """Reported: the VP's 65.0 became 100.0 "Ahead" after another member retook it."""
    from django.utils import timezone

    from core.models import Membership
    from reports.assembly import board_report_context

    vp = MembershipFactory(
        role=Membership.Role.CLIENT_ADMIN, user__first_name="Vera", user__last_name="Pike"
    )
    team = MembershipFactory(
        organization=vp.organization, user__first_name="Tom", user__last_name="Ives"
    )
    response_create(level=2, membership=vp, completed_at=COMPLETED_AT - timedelta(days=5))
    retake = response_create(level=3, membership=team, completed_at=COMPLETED_AT)
    client.force_login(vp.user)
    url = f"/orgs/{vp.organization.slug}/"
    page = client.get(url).content.decode()
    assert "The organization's score" in page
    assert "66.7" in page.split("Members who answered")[0]  # the VP's, not Tom's 100.0
    assert "Vera Pike&#x27;s latest response, as client admin" in page
    assert "Tom Ives" in page and "100.0" in page  # the spread keeps every member
    report = board_report_context(organization=vp.organization, as_of=timezone.localdate())
    assert float(report.sections["score"]["overall"]) == pytest.approx(66.7, abs=0.1)

    # The admin marks Tom's retake as the organization's: the headline and report follow.
    client.post(f"/orgs/{vp.organization.slug}/responses/{retake.pk}/headline/")
    page = client.get(url).content.decode()
    assert "marked as the organization&#x27;s by Vera Pike" in page
    report = board_report_context(organization=vp.organization, as_of=timezone.localdate())
    assert float(report.sections["score"]["overall"]) == 100.0
    assert "Tom Ives" in report.sections["score"]["whose"]


def test_only_a_client_admin_marks_the_organizations_score(client):
    from core.models import Membership

    admin = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    member = MembershipFactory(organization=admin.organization, role=Membership.Role.MEMBER)
    theirs = response_create(membership=member)
    client.force_login(member.user)
    reply = client.post(f"/orgs/{admin.organization.slug}/responses/{theirs.pk}/headline/")
    assert reply.status_code == 403
    assert not Response.objects.filter(is_headline=True).exists()
