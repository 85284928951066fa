"""A firm's own benchmark link /b/<firm>/: the same self-score under the firm's name, the
state in a signed token, and every completed response the firm's lead."""

import pytest
from django.core import mail, signing
from django.test import Client

from benchmark.models import Response
from firms.models import Lead
from firms.tokens import SALT, SelfScoreState
from tests.factories import OrganizationFactory

from .conftest import PROFILE, take_selfscore, token_of

pytestmark = pytest.mark.django_db


def test_the_link_shows_the_firms_name_and_colour(client, firm):
    page = client.get("/b/harbor/").content.decode()
    assert "Harbor Advisory" in page
    assert "--accent: #7a1f5c" in page
    assert "Maturity Benchmark</a>" not in page  # the product's own header is not shown


def test_an_unknown_firm_or_a_client_slug_answers_404(client, firm):
    client_org = OrganizationFactory(slug="a-client")
    assert client.get("/b/no-such-firm/").status_code == 404
    assert client.get(f"/b/{client_org.slug}/").status_code == 404


def test_a_self_score_through_the_link_scores_as_the_plain_one_and_makes_a_lead(client, firm):
    reply, _ = take_selfscore(client, "/b/harbor/")
    response = Response.objects.get()
    assert reply.status_code == 302
    assert reply["Location"] == f"/results/{response.public_id}/"
    # The same scoring as the plain self-score: every answer at level 2 of 3.
    assert float(response.overall_score) == pytest.approx(66.7)
    lead = Lead.objects.get()
    assert (lead.firm, lead.response, lead.source) == (firm.org, response, "link")
    assert lead.widest_gap == response.scored.widest_gap
    assert lead.email == "" and lead.consent_text == ""
    page = client.get(reply["Location"]).content.decode()
    # The result carries the firm's name once, as its brand.
    assert '<span class="firm-name">Harbor Advisory</span>' in page
    assert "your AI maturity benchmark result" in page


def test_an_email_is_kept_with_the_exact_consent_text_shown(
    client, firm, django_capture_on_commit_callbacks
):
    shown = "I agree that Harbor Advisory may email me about my result and a Revenue Audit."
    profile = firm.org.firm_profile
    profile.consent_text = shown.replace("Harbor Advisory", "{firm}")
    profile.save()

    def reword(page):
        assert shown in page
        # The firm rewords its consent while the respondent reads the last step.
        profile.consent_text = "Something else"
        profile.save()

    with django_capture_on_commit_callbacks(execute=True):
        take_selfscore(
            client,
            "/b/harbor/",
            finish={"email": "vp@buyer.example", "consent": "on"},
            before_finish=reword,
        )
    lead = Lead.objects.get()
    assert (lead.email, lead.consent_text) == ("vp@buyer.example", shown)
    assert lead.consented_at is not None
    assert [m.to for m in mail.outbox] == [["vp@buyer.example"]]  # the result's link


def test_an_email_without_consent_is_refused_and_kept_in_the_form(client, firm):
    reply, _ = take_selfscore(client, "/b/harbor/", finish={"email": "vp@buyer.example"})
    assert reply.status_code == 422
    page = reply.content.decode()
    assert "Tick the box to agree" in page
    assert 'value="vp@buyer.example"' in page
    assert not Response.objects.exists()


def test_a_wrong_answer_keeps_the_step_and_its_state(client, firm):
    reply = client.post("/b/harbor/", PROFILE)
    token = token_of(reply)
    reply = client.post("/b/harbor/", {"state": token, "paid": "3", "daily": "9"})
    assert reply.status_code == 422
    assert "cannot be more than the tools you pay for" in reply.content.decode()
    assert token_of(reply) == token


def test_back_shows_the_previous_answer(client, firm):
    reply = client.post("/b/harbor/", PROFILE)
    reply = client.post("/b/harbor/", {"state": token_of(reply), "paid": "12", "daily": "4"})
    reply = client.post("/b/harbor/", {"state": token_of(reply), "back": "1"})
    page = reply.content.decode()
    assert "Question 1 of 15" in page
    assert 'value="12"' in page


def test_a_replayed_final_post_makes_no_second_response(client, firm):
    reply, token = take_selfscore(client, "/b/harbor/")
    again = client.post("/b/harbor/", {"state": token})
    assert again["Location"] == reply["Location"]
    assert Response.objects.count() == Lead.objects.count() == 1


def test_an_altered_token_is_refused(client, firm):
    reply = client.post("/b/harbor/", PROFILE)
    token = token_of(reply)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    reply = client.post("/b/harbor/", {"state": forged, "paid": "3", "daily": "3"})
    assert reply.status_code == 400
    assert "start again" in reply.content.decode()


def test_a_token_from_another_firms_link_is_refused(client, firm):
    other = OrganizationFactory(slug="other-firm", kind="firm")
    token = token_of(client.post("/b/other-firm/", PROFILE))
    reply = client.post("/b/harbor/", {"state": token, "paid": "3", "daily": "3"})
    assert reply.status_code == 400
    # Even a token whose last step is done files no lead under the other firm.
    state = SelfScoreState.load(token, firm_id=other.pk)
    assert state.firm_id == other.pk


def test_an_expired_token_is_refused(client, firm, settings):
    token = token_of(client.post("/b/harbor/", PROFILE))
    settings.FIRM_SELFSCORE_TOKEN_MAX_AGE = -1
    reply = client.post("/b/harbor/", {"state": token, "paid": "3", "daily": "3"})
    assert reply.status_code == 400


def test_the_token_holds_only_what_the_form_gave(firm):
    state = SelfScoreState(firm_id=firm.org.pk, version="2026.1", profile=PROFILE)
    payload = signing.loads(state.dump(), salt=SALT)
    assert payload["f"] == firm.org.pk and payload["p"] == PROFILE
    assert len(payload["n"]) == 32  # 128-bit nonce, hex


def test_the_link_keeps_csrf_protection(firm):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/b/harbor/", PROFILE).status_code == 403


def test_a_self_score_through_the_link_tells_the_firms_crm_once(
    client, firm, django_capture_on_commit_callbacks
):
    from firms import services
    from webhooks.models import Event

    with django_capture_on_commit_callbacks(execute=True):
        _reply, token = take_selfscore(client, "/b/harbor/")
    lead = Lead.objects.get()
    events = list(Event.objects.filter(organization=firm.org).order_by("sequence"))
    assert [(e.event_type, e.sequence) for e in events] == [
        ("response.completed", 1),
        ("lead.created", 2),
    ]
    assert events[1].data == services.lead_event_data(lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/b/harbor/", {"state": token})  # a replay makes no event
    assert Event.objects.filter(organization=firm.org).count() == 2
    data = services.lead_event_data(lead)
    assert data["score"] == 66.7 and data["tier"] == "on_pace" and "email" not in data


def test_i_dont_know_is_offered_on_the_link_and_scores_as_missing(client, firm):
    reply = client.post("/b/harbor/", PROFILE)
    assert 'name="unknown"' in reply.content.decode()  # the tool-count question's checkbox
    reply = client.post("/b/harbor/", {"state": token_of(reply), "unknown": "on"})
    assert 'value="unknown"' in reply.content.decode()  # every choice question offers it
    for _ in range(2, 16):
        reply = client.post("/b/harbor/", {"state": token_of(reply), "answer": "unknown"})
    # Every answer unknown: refused, and nothing entered is lost.
    reply = client.post("/b/harbor/", {"state": token_of(reply)})
    assert "answer at least one question" in reply.content.decode()
    assert Response.objects.count() == 0
    # It reopens the last question with every earlier answer kept: one real answer is enough.
    assert "Question 15 of 15" in reply.content.decode()
    reply = client.post("/b/harbor/", {"state": token_of(reply), "answer": "2"})
    reply = client.post("/b/harbor/", {"state": token_of(reply)})
    assert reply.status_code == 302
    response = Response.objects.get()
    assert len(response.scored.unknowns) == 14  # all but the one answered
    assert response.low_confidence  # more than three unknowns: kept out of the peer pool


# Resuming a run left unfinished: the browser keeps its last token (static/js/firm-resume.js,
# driven in tests/browser/test_firm_resume_browser.py) and posts it back with "resume".


def test_the_first_page_names_where_the_browser_keeps_the_run(client, firm):
    link = client.get("/b/harbor/").content.decode()
    assert 'data-selfscore-key="selfscore:harbor:link"' in link
    assert 'id="selfscore-resume"' in link and "firm-resume.js" in link
    embed = client.get("/b/harbor/embed/").content.decode()
    assert 'data-selfscore-key="selfscore:harbor:embed"' in embed


def test_a_resumed_run_opens_at_the_step_it_left_with_its_answers(client, firm):
    reply = client.post("/b/harbor/", PROFILE)
    reply = client.post("/b/harbor/", {"state": token_of(reply), "paid": "12", "daily": "4"})
    left_at = token_of(reply)

    later = Client()  # another visit, the page opened afresh
    reply = later.post("/b/harbor/", {"state": left_at, "resume": "1"})
    page = reply.content.decode()
    assert reply.status_code == 200
    assert "Question 2 of 15" in page and token_of(reply) == left_at
    reply = later.post("/b/harbor/", {"state": token_of(reply), "back": "1"})
    assert 'value="12"' in reply.content.decode()
    assert Response.objects.count() == 0


def test_resuming_a_finished_run_shows_its_result_and_files_nothing_more(client, firm):
    reply, token = take_selfscore(client, "/b/harbor/")
    again = Client().post("/b/harbor/", {"state": token, "resume": "1"})
    assert again.status_code == 302 and again["Location"] == reply["Location"]
    embed_token = take_selfscore(client, "/b/harbor/embed/")[1]
    again = Client().post("/b/harbor/embed/", {"state": embed_token, "resume": "1"})
    assert again["Location"].startswith("/b/harbor/embed/results/")
    assert Response.objects.count() == Lead.objects.count() == 2


def test_a_run_that_cannot_resume_says_so_and_is_forgotten(client, firm, settings):
    token = token_of(client.post("/b/harbor/", PROFILE))
    settings.FIRM_SELFSCORE_TOKEN_MAX_AGE = -1
    reply = client.post("/b/harbor/", {"state": token, "resume": "1"})
    page = reply.content.decode()
    assert reply.status_code == 400 and "start again" in page
    assert "data-selfscore-forget" in page
