""" "I don't know" through the self-score, the result, the peer pool and what reads results."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse

from benchmark.definition import parse_definition, read_definition_file
from benchmark.models import Definition as DefinitionRow
from benchmark.models import PeerBucket, Response
from benchmark.scoring import UNKNOWN
from tests.factories import PROFILE, response_create, uniform_answers
from tests.forms_sweep import form_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_admin(db):
    from core.models import Membership
    from tests.factories import MembershipFactory

    return MembershipFactory(role=Membership.Role.CLIENT_ADMIN)


def q(number):
    return reverse("benchmark:question", args=[number])


def with_unknowns(*question_ids, level=2):
    return {**uniform_answers(level), **dict.fromkeys(question_ids, UNKNOWN)}


def buckets():
    return sorted(PeerBucket.objects.values_list("pool", "segment", "metric", "value", "count"))


def test_every_question_offers_i_dont_know(client):
    client.post(reverse("benchmark:profile"), PROFILE)
    first = BeautifulSoup(client.get(q(1)).content.decode(), "html.parser")
    box = first.find("input", attrs={"name": "unknown", "type": "checkbox"})
    assert box is not None
    assert first.find("label", attrs={"class": "choice-unknown"}).get_text(strip=True) == (
        "I don't know"
    )
    for number in range(2, 16):
        page = BeautifulSoup(client.get(q(number)).content.decode(), "html.parser")
        radios = page.find_all("input", attrs={"name": "answer", "type": "radio"})
        # In the same radio group as the four levels: arrow keys reach it, Enter moves on.
        assert [r["value"] for r in radios] == ["0", "1", "2", "3", UNKNOWN]


def test_an_unknown_answer_comes_back_checked_and_posts_back_the_same(client):
    client.post(reverse("benchmark:profile"), PROFILE)
    client.post(q(1), {"unknown": "on", "paid": "", "daily": ""})
    client.post(q(2), {"answer": UNKNOWN})
    for number in (1, 2):
        soup = BeautifulSoup(client.get(q(number)).content.decode(), "html.parser")
        form = soup.find("form")
        entries = form_entries(form, soup)
        assert ("unknown", "on") in entries or ("answer", UNKNOWN) in entries
        # Posting the page back as rendered keeps the answer (the round trip).
        client.post(q(number), dict(entries))
    draft = client.session["selfscore_draft"]["answers"]
    assert draft["stack_count"] == UNKNOWN and draft["stack_use"] == UNKNOWN


def test_counts_typed_before_ticking_i_dont_know_are_ignored(client):
    client.post(reverse("benchmark:profile"), PROFILE)
    response = client.post(q(1), {"unknown": "on", "paid": "4", "daily": "9"})
    assert response.status_code == 302
    assert client.session["selfscore_draft"]["answers"]["stack_count"] == UNKNOWN


def test_all_unknown_answers_ask_for_at_least_one(client):
    client.post(reverse("benchmark:profile"), PROFILE)
    client.post(q(1), {"unknown": "on"})
    for number in range(2, 15):
        client.post(q(number), {"answer": UNKNOWN})
    page = client.post(q(15), {"answer": UNKNOWN}).content.decode()
    assert "answer at least one question" in page
    assert not Response.objects.exists()


def test_the_result_says_which_dimensions_rest_on_fewer_answers(client):
    response = response_create(answers=with_unknowns("orchestration_chain", "budget_tied", level=3))
    page = client.get(f"/results/{response.public_id}/").content.decode()
    soup = BeautifulSoup(page, "html.parser")
    box = soup.find(id="unknowns").get_text(" ", strip=True)
    assert "2 answers “I don't know”" in box
    assert "Workflow orchestration rests on 2 of its 3 questions" in box
    assert "has no score" in box and "its 8 points are spread" in box
    assert "low-confidence" not in box
    budget = next(tr for tr in soup.select("tbody tr") if "Budget" in tr.th.get_text())
    assert "not answered" in budget.th.get_text()
    # The weights over the answered dimensions: orchestration 15 x 100/92 = 16.3.
    orchestration = next(tr for tr in soup.select("tbody tr") if "orchestration" in tr.th.text)
    assert "16.3" in orchestration.get_text()


def test_the_radar_draws_no_point_for_a_missing_dimension(client):
    response = response_create(answers=with_unknowns("budget_tied", level=3))
    soup = BeautifulSoup(client.get(f"/results/{response.public_id}/").content, "html.parser")
    radar = soup.select_one("#radar .chart-wide svg")
    # The spoke stays, labelled; your outline has no point on it (no dip to 0).
    assert "Budget (not" in radar.get_text()
    yours = [t.get_text() for t in radar.select("circle title") if "Your team" in t.get_text()]
    assert len(yours) == 9 and not any("Budget" in tip for tip in yours), yours
    assert not any(tip.endswith(": 0") for tip in yours)
    bars = soup.select_one("#radar .chart-narrow svg")
    mine = [t.get_text() for t in bars.select("rect title") if "Your team" in t.get_text()]
    assert len(mine) == 9 and not any("Budget" in tip for tip in mine), mine
    assert "Budget" in bars.get_text()  # its label stays, with no bar


def test_ahead_needs_orchestration_answered_on_the_page(client):
    response = response_create(
        answers=with_unknowns(
            "orchestration_chain", "orchestration_handoffs", "orchestration_ownership", level=3
        )
    )
    assert response.tier == "on_pace"
    page = client.get(f"/results/{response.public_id}/").content.decode()
    assert "Ahead needs it answered" in page


def test_a_low_confidence_response_is_kept_out_of_the_peer_pool(client):
    response_create(level=2)
    before = buckets()
    unsure = response_create(
        answers=with_unknowns(
            "budget_tied", "vendors_cancel", "skills_builders", "governance_review", level=3
        )
    )
    assert unsure.low_confidence
    assert buckets() == before
    page = client.get(f"/results/{unsure.public_id}/").content.decode()
    assert 'id="low-confidence"' in page
    call_command("rebuild_peer_buckets", verbosity=0)
    assert buckets() == before


def test_three_unknowns_still_count_and_the_rebuild_agrees():
    response_create(level=2)
    counted = response_create(answers=with_unknowns("budget_tied", "stack_use", "stack_count"))
    assert not counted.low_confidence
    live = buckets()
    # The unscored budget dimension has one bar fewer than overall.
    total = {
        m: sum(n for p, s, mm, v, n in live if mm == m and s == "all")
        for m in ("overall", "budget")
    }
    assert total == {"overall": 2, "budget": 1}
    call_command("rebuild_peer_buckets", verbosity=0)
    assert buckets() == live


def test_a_format_1_result_of_the_old_version_still_loads(client, settings):
    settings.BENCHMARK_DEFINITION = "2026.1"
    old = response_create(level=2)
    assert old.definition.version == "2026.1" and not old.scored.unknowns
    settings.BENCHMARK_DEFINITION = "2026.2"
    page = client.get(f"/results/{old.public_id}/").content.decode()
    assert "66.7" in page and 'id="unknowns"' not in page
    assert old.scored.unscored == () and old.scored.weight("budget", 8) == 8.0


def test_a_format_1_row_as_stored_before_this_change_reads_back(client):
    """A row written by the old code, byte for byte as it sits in the database."""
    data, checksum = read_definition_file("2026.1")
    parse_definition(data)
    row, _ = DefinitionRow.objects.get_or_create(
        version="2026.1", defaults={"data": data, "checksum": checksum}
    )
    response = response_create(level=1)
    result = dict(response.result)
    for key in ("format", "weights", "answered", "unknowns", "low_confidence"):
        result.pop(key)
    Response.objects.filter(pk=response.pk).update(definition=row, result=result)
    page = client.get(f"/results/{response.public_id}/")
    assert page.status_code == 200


def test_the_dashboard_and_spread_take_a_missing_dimension(client, client_admin):
    from tests.factories import MembershipFactory

    other = MembershipFactory(organization=client_admin.organization, role="member")
    response_create(membership=client_admin, answers=with_unknowns("budget_tied", level=3))
    response_create(membership=other, level=1)
    client.force_login(client_admin.user)
    page = client.get(f"/orgs/{client_admin.organization.slug}/").content.decode()
    assert "Budget" in page  # one member scored it: its spread is that member's alone


def test_the_board_report_says_which_dimension_was_not_answered(client_admin):
    from reports.assembly import board_report_context

    response_create(
        membership=client_admin, answers=with_unknowns("budget_tied", "orchestration_chain")
    )
    report = board_report_context(organization=client_admin.organization, as_of=date(2026, 11, 3))
    score = report.sections["score"]
    assert score["unscored"] == ["Budget"]
    assert score["unknowns"] == 2
    budget = next(r for r in score["rows"] if r.dimension.id == "budget")
    assert budget.score is None and budget.weight == 0
    radar = report.figures["radar"]
    you = next(t for t in radar["data"] if t["name"] == "Your team")
    assert len(you["r"]) == 10  # nine scored spokes, closed on the first
