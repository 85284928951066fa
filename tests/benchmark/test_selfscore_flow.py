"""The anonymous self-score: profile, 15 questions, result, with and without htmx."""

import re

import pytest
from django.urls import reverse

from benchmark.models import Response

pytestmark = pytest.mark.django_db

PROFILE = {"revenue_band": "5-20m", "business_model": "b2b", "team_size": "6-15"}


def q(number):
    return reverse("benchmark:question", args=[number])


def answer_all(client, level="2", counts=("5", "5"), htmx=False):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    client.post(reverse("benchmark:profile"), PROFILE)
    client.post(q(1), {"paid": counts[0], "daily": counts[1]}, **headers)
    response = None
    for number in range(2, 16):
        response = client.post(q(number), {"answer": level}, **headers)
    return response


def test_the_landing_page_says_what_it_is_and_how_long(client):
    page = client.get(reverse("benchmark:landing")).content.decode()
    assert "15 questions" in page
    assert "about 5 minutes" in page
    assert reverse("benchmark:profile") in page


def test_it_completes_without_javascript(client):
    last = answer_all(client)
    assert last.status_code == 302
    result = Response.objects.get()
    assert last["Location"] == reverse("benchmark:result", kwargs={"public_id": result.public_id})
    page = client.get(last["Location"]).content.decode()
    assert "66.7" in page
    assert "On Pace" in page
    assert 'id="radar"' in page and 'class="svg-chart"' in page


def test_it_completes_with_htmx_and_redirects_the_client_to_the_result(client):
    last = answer_all(client, htmx=True)
    result = Response.objects.get()
    assert last["HX-Redirect"] == reverse(
        "benchmark:result", kwargs={"public_id": result.public_id}
    )


def test_htmx_next_returns_only_the_question_fragment_and_pushes_the_url(client):
    client.post(reverse("benchmark:profile"), PROFILE)
    response = client.post(q(1), {"paid": "3", "daily": "3"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Push-Url"] == q(2)
    assert body.lstrip().startswith('<div id="question">')
    assert "<html" not in body
    assert "Question 2 of 15" in body


def test_the_progress_bar_says_which_question(client):
    client.post(reverse("benchmark:profile"), PROFILE)
    page = client.get(q(4)).content.decode()
    assert "Question 4 of 15" in page
    assert re.search(r'<progress max="15" value="3"', page)


def test_questions_before_the_profile_send_the_visitor_to_the_profile(client):
    response = client.get(q(3))
    assert response.status_code == 302
    assert response["Location"] == reverse("benchmark:profile")


def test_answers_are_kept_when_the_visitor_comes_back(client):
    client.post(reverse("benchmark:profile"), PROFILE)
    client.post(q(1), {"paid": "4", "daily": "2"})
    client.post(q(2), {"answer": "1"})
    landing = client.get(reverse("benchmark:landing")).content.decode()
    assert "Continue: question 3 of 15" in landing
    back = client.get(q(2)).content.decode()
    assert re.search(r'value="1"\s+id="[^"]+"\s+checked', back)
    first = client.get(q(1)).content.decode()
    assert 'value="4"' in first and 'value="2"' in first


@pytest.mark.parametrize("tampered", [{"answer": "7"}, {"answer": "-1"}, {"answer": "two"}, {}])
def test_tampered_or_missing_answers_get_a_form_error(client, tampered):
    client.post(reverse("benchmark:profile"), PROFILE)
    response = client.post(q(5), tampered)
    assert response.status_code == 200
    assert "Choose" in response.content.decode()
    assert "orchestration_ownership" not in client.session["selfscore_draft"]["answers"]


def test_tampered_tool_counts_get_a_form_error(client):
    client.post(reverse("benchmark:profile"), PROFILE)
    response = client.post(q(1), {"paid": "2", "daily": "9"})
    assert "cannot be more than the tools you pay for" in response.content.decode()
    response = client.post(q(1), {"paid": "-3", "daily": "x"})
    assert response.status_code == 200
    assert "field-error" in response.content.decode()


def test_a_tampered_profile_gets_a_form_error(client):
    response = client.post(reverse("benchmark:profile"), {**PROFILE, "revenue_band": "999"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_an_unanswered_question_blocks_the_result_and_says_which(client):
    client.post(reverse("benchmark:profile"), PROFILE)
    client.post(q(1), {"paid": "3", "daily": "3"})
    for number in [2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14]:
        client.post(q(number), {"answer": "3"})
    response = client.post(q(15), {"answer": "3"}, follow=True)
    assert Response.objects.count() == 0
    assert "Question 7 has no answer yet" in response.content.decode()
    assert response.redirect_chain[-1][0] == q(7)


@pytest.mark.parametrize("number", [0, 16, 99])
def test_questions_out_of_range_are_404(client, number):
    client.post(reverse("benchmark:profile"), PROFILE)
    assert client.get(f"/self-score/{number}/").status_code == 404


def test_state_changes_refuse_get_on_the_email_url(client):
    last = answer_all(client)
    assert client.get(last["Location"] + "email/").status_code == 405


def test_the_draft_is_cleared_after_submitting(client):
    answer_all(client)
    assert "selfscore_draft" not in client.session
