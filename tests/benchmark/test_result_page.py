"""The result page: score, tier, gap, moves, peers, reference points, email."""

import re
import uuid

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmark.models import PeerBucket, Response
from tests.factories import response_create, responses_create

pytestmark = pytest.mark.django_db


def url(response):
    return reverse("benchmark:result", kwargs={"public_id": response.public_id})


def test_it_shows_score_tier_gap_moves_and_sources(client):
    response = response_create(level=1)
    page = client.get(url(response)).content.decode()
    assert "33.3" in page
    assert "Behind" in page
    assert "Widest gap" in page
    # Every dimension at 1/3: orchestration (weight 15) loses the most points.
    assert "Workflow orchestration: 10.0 of 15 points lost" in page
    assert "Map your busiest lead workflow" in page
    assert "NinjaCat" in page and "8%" in page and "87%" in page


def test_an_unknown_result_is_404(client):
    assert (
        client.get(reverse("benchmark:result", kwargs={"public_id": uuid.uuid4()})).status_code
        == 404
    )


def test_result_urls_are_random_not_sequential(client):
    a, b = response_create(), response_create()
    assert a.public_id.version == 4 and a.public_id != b.public_id
    assert client.get(f"/results/{a.pk}/").status_code == 404


def test_a_fresh_install_compares_with_the_demo_sample_and_says_so(client):
    responses_create(60, is_demo=True)
    page = client.get(url(response_create())).content.decode()
    assert "Compared with 60 demo responses (sample data, not real teams)" in page
    assert "Peer median (demo sample)" in page


def test_demo_responses_are_never_counted_as_real_peers(client):
    responses_create(60, is_demo=True)
    response_create()
    real = PeerBucket.objects.filter(pool=PeerBucket.Pool.REAL, segment="all", metric="overall")
    assert sum(b.count for b in real) == 1


def test_a_segment_of_30_is_used_and_named(client):
    responses_create(
        30, profile={"revenue_band": "5-20m", "business_model": "b2b", "team_size": "6-15"}
    )
    responses_create(
        20, seed=8, profile={"revenue_band": "gt200m", "business_model": "b2c", "team_size": "51+"}
    )
    page = client.get(url(response_create())).content.decode()
    assert (
        "Compared with 31 completed responses in your segment ($5M to $20M revenue, B2B, 6 to 15 marketers)"
        in page
    )


def test_a_small_segment_falls_back_to_all_responses_and_says_so(client):
    responses_create(
        40, profile={"revenue_band": "gt200m", "business_model": "b2c", "team_size": "51+"}
    )
    page = client.get(url(response_create())).content.decode()
    assert "Compared with all 41 completed responses: your segment" in page
    assert "has fewer than 30 yet" in page


def test_percentiles_follow_the_score(client):
    responses_create(40)
    low = response_create(level=0)
    high = response_create(level=3)

    def overall_percentile(response):
        page = client.get(url(response)).content.decode()
        return int(re.search(r"score higher than about <strong>(\d+)%", page).group(1))

    assert overall_percentile(low) <= 5
    assert overall_percentile(high) >= 95


def test_the_query_count_does_not_grow_with_stored_responses(client):
    response = response_create()
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(response)).status_code == 200
    responses_create(400, seed=3)
    responses_create(100, seed=4, is_demo=True)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(response)).status_code == 200
    # The response with its definition (and firm, if any), the peer histograms, ... and
    # the name of the firm an audit request would go to.
    assert 0 < len(few) == len(many) <= 5


def test_saving_an_email_sends_the_link(client, django_capture_on_commit_callbacks):
    response = response_create()
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(url(response) + "email/", {"email": "vp@example.com"}, follow=True)
    assert "Saved. We sent the link to the address you gave." in reply.content.decode()
    assert "vp@example.com" not in reply.content.decode()
    response.refresh_from_db()
    assert response.email == "vp@example.com"
    assert len(mail.outbox) == 1
    assert str(response.public_id) in mail.outbox[0].body


def test_saving_an_email_with_htmx_returns_the_fragment(client, django_capture_on_commit_callbacks):
    response = response_create()
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(
            url(response) + "email/", {"email": "vp@example.com"}, HTTP_HX_REQUEST="true"
        )
    body = reply.content.decode()
    assert body.lstrip().startswith('<div id="email-save">')
    assert "Saved." in body


def test_a_bad_email_keeps_what_was_typed_and_says_why(client):
    response = response_create()
    reply = client.post(url(response) + "email/", {"email": "vp at example"})
    body = reply.content.decode()
    assert reply.status_code == 200
    assert "Enter a valid email address" in body
    assert 'value="vp at example"' in body
    assert Response.objects.get().email == ""
