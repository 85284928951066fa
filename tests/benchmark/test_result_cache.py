"""The result page's caches (issue 13): the peer histograms and the drawn figures are kept
between submits, and what a visitor sees never lags a submit, a recount or a firm."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmark.models import Response
from core.models import Organization
from tests.factories import response_create, responses_create

pytestmark = pytest.mark.django_db

SEGMENT = {"revenue_band": "5-20m", "business_model": "b2b", "team_size": "6-15"}


def view(client, response):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/results/{response.public_id}/")
    assert page.status_code == 200
    peer_reads = [q for q in queries.captured_queries if "benchmark_peerbucket" in q["sql"]]
    return page.content.decode(), len(peer_reads)


def drawn(page):
    """The score, peers, charts and table (the rest holds per-request CSRF tokens)."""
    return page[page.index('<section class="result-head') : page.index('<section class="grid-2">')]


def segment_size(page):
    return int(re.search(r"Compared with (\d+) completed responses in your segment", page)[1])


def overall_percentile(page):
    return int(re.search(r"score higher than about <strong>(\d+)%", page)[1])


def test_the_histograms_are_read_once_until_a_submit(client):
    responses_create(40, profile=SEGMENT)
    response = response_create(level=2)
    first, reads = view(client, response)
    assert reads == 1
    again, reads = view(client, response)
    assert reads == 0 and drawn(again) == drawn(first)
    response_create(level=3)  # the next submit is read at once
    _, reads = view(client, response)
    assert reads == 1


def test_a_page_already_drawn_counts_every_later_submit(client):
    responses_create(40, profile=SEGMENT)
    response = response_create(level=2)
    before, _ = view(client, response)
    for _ in range(3):
        response_create(level=0)
    after, _ = view(client, response)
    assert segment_size(after) == segment_size(before) + 3
    assert overall_percentile(after) > overall_percentile(before)


def test_a_recount_shows_at_once(client):
    responses_create(40, profile=SEGMENT)
    response = response_create(level=2)
    before, _ = view(client, response)
    doomed = list(Response.objects.exclude(pk=response.pk).values_list("pk", flat=True)[:5])
    Response.objects.filter(pk__in=doomed).delete()
    call_command("rebuild_peer_buckets", stdout=io.StringIO())
    after, _ = view(client, response)
    assert segment_size(after) == segment_size(before) - 5


def test_each_firm_name_gets_its_own_audit_form(client, settings):
    response = response_create()
    page, _ = view(client, response)
    assert f"I agree that {settings.DEFAULT_FIRM_NAME} may store" in page
    Organization.objects.create(
        name="Harbor Revenue Partners", slug=settings.DEFAULT_FIRM_SLUG, kind="firm"
    )
    page, _ = view(client, response)
    assert "I agree that Harbor Revenue Partners may store" in page
    assert f"I agree that {settings.DEFAULT_FIRM_NAME} may store" not in page


def test_a_refused_request_shows_its_errors_after_the_empty_form_was_cached(client):
    response = response_create()
    view(client, response)  # the empty form is drawn and cached
    reply = client.post(
        f"/results/{response.public_id}/audit-request/",
        {"audit-name": "Vera Pike", "audit-email": "not-an-email", "audit-company": "Lumen"},
    )
    page = reply.content.decode()
    assert reply.status_code == 422
    assert 'value="Vera Pike"' in page and 'value="not-an-email"' in page
    assert "Enter a valid email address" in page and "Tick the box to agree" in page
    fresh, _ = view(client, response)
    assert "Vera Pike" not in fresh and "Enter a valid email address" not in fresh
