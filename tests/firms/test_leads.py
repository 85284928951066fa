"""The firm's Leads list: what each lead shows, the filters, the CSV, the query count."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmark.selectors import definition_get_current
from firms.models import Lead
from firms.services import audit_request_send, firm_selfscore_submit
from firms.tokens import SelfScoreState
from tests.factories import PROFILE, uniform_answers

pytestmark = pytest.mark.django_db


def lead(firm, *, level=2, email="", profile=PROFILE, day=2, consent="I agree."):
    state = SelfScoreState(
        firm_id=firm.pk, version=definition_get_current().version, profile=profile, consent=consent
    )
    response = firm_selfscore_submit(
        firm=firm,
        state=state,
        answers=uniform_answers(level),
        email=email,
        source=Lead.Source.LINK,
        completed_at=datetime(2026, 11, day, 9, 0, tzinfo=UTC),
    )
    Lead.objects.filter(response=response).update(
        created_at=datetime(2026, 11, day, 9, 0, tzinfo=UTC)
    )
    return response


def rows_of(page: str) -> int:
    return page.count("<tr>") - 1  # the header row


def test_each_lead_shows_date_score_tier_gap_segment_and_consented_email(client, firm):
    lead(firm.org, level=2, email="vp@buyer.example", day=3)
    lead(firm.org, level=1, day=4)
    client.force_login(firm.consultant.user)
    page = client.get("/orgs/harbor/leads/").content.decode()
    assert rows_of(page) == 2
    assert page.index("4 Nov 2026") < page.index("3 Nov 2026")  # newest first
    assert "66.7" in page and "On Pace" in page and "Behind" in page
    assert "$5M to $20M · B2B · 6 to 15 marketers" in page
    assert "vp@buyer.example" in page and "with consent" in page
    gap = definition_get_current().dimension(Lead.objects.first().widest_gap).label
    assert gap in page


def test_another_firms_leads_are_not_listed(client, firm):
    from tests.factories import OrganizationFactory

    other = OrganizationFactory(kind="firm")
    lead(other, email="theirs@example.com")
    client.force_login(firm.consultant.user)
    page = client.get("/orgs/harbor/leads/").content.decode()
    assert "theirs@example.com" not in page and "No leads yet" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tier=on_pace", 2),
        ("tier=behind", 1),
        ("revenue_band=20-50m", 1),
        ("team_size=51%2B", 0),
        ("has_email=yes", 1),
        ("has_email=no", 2),
        ("date_from=2026-11-03&date_to=2026-11-04", 2),
        ("date_to=2026-11-02", 1),
        ("tier=nonsense", 3),  # an invalid filter is dropped, the list still shows
    ],
)
def test_the_filters(client, firm, query, expected):
    lead(firm.org, level=2, day=2, email="a@buyer.example")
    lead(firm.org, level=2, day=3, profile={**PROFILE, "revenue_band": "20-50m"})
    lead(firm.org, level=1, day=4)
    client.force_login(firm.consultant.user)
    page = client.get(f"/orgs/harbor/leads/?{query}").content.decode()
    if expected:
        assert rows_of(page) == expected
    else:
        assert "No leads match" in page


def test_the_csv_holds_the_filtered_leads_with_formulas_neutralised(client, firm):
    lead(firm.org, email="a@buyer.example", consent='=HYPERLINK("http://evil","x")')
    lead(firm.org, level=1, day=4)
    client.force_login(firm.consultant.user)
    reply = client.get("/orgs/harbor/leads/export.csv?has_email=yes")
    assert reply["Content-Type"].startswith("text/csv")
    assert "attachment" in reply["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(reply.content.decode())))
    assert rows[0] == [
        "date",
        "score",
        "tier",
        "widest_gap",
        "segment",
        "email",
        "consent_text",
        "audit_requested",
    ]
    assert len(rows) == 2
    assert rows[1][1] == "66.7" and rows[1][2] == "On Pace" and rows[1][5] == "a@buyer.example"
    assert rows[1][6] == '\'=HYPERLINK("http://evil","x")'


def test_the_query_count_does_not_grow_with_the_leads(client, firm):
    client.force_login(firm.consultant.user)
    lead(firm.org, day=2)

    def count(path):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    few = (count("/orgs/harbor/leads/"), count("/orgs/harbor/leads/export.csv"))
    for day in range(3, 13):
        lead(firm.org, day=day, email=f"v{day}@buyer.example")
    assert (count("/orgs/harbor/leads/"), count("/orgs/harbor/leads/export.csv")) == few


def test_a_lead_that_requested_an_audit_shows_it_with_the_requesters_email(client, firm):
    asked = lead(firm.org, day=3)  # no email given with the self-score
    lead(firm.org, level=1, day=4)
    request, _ = audit_request_send(
        firm=firm.org,
        response=asked,
        name="Vera Pike",
        email="vera@buyer.example",
        company="Buyer Inc",
        consent_text="Harbor Advisory may contact me about this audit.",
    )
    client.force_login(firm.consultant.user)
    page = client.get("/orgs/harbor/leads/").content.decode()
    review = f"/orgs/{request.audit.organization.slug}/audits/{request.audit.pk}/review/"
    assert f'<a href="{review}">Requested</a>' in page
    assert "vera@buyer.example" in page
    assert client.get(review).status_code == 200  # the firm's consultant can open it
    # The filter and the CSV agree with the page.
    assert rows_of(client.get("/orgs/harbor/leads/?has_email=yes").content.decode()) == 1
    rows = list(
        csv.reader(io.StringIO(client.get("/orgs/harbor/leads/export.csv").content.decode()))
    )
    assert [(r[5], r[6], r[7]) for r in rows[1:]] == [
        ("", "", "no"),
        ("vera@buyer.example", "Harbor Advisory may contact me about this audit.", "yes"),
    ]
