"""Writes: storing definitions and responses, keeping the peer histograms current."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from core.links import absolute_url
from core.models import Organization
from core.tasks import enqueue_on_commit
from webhooks.models import EventType
from webhooks.services import webhook_event_emit_for

from . import peers
from .definition import Definition
from .models import Definition as DefinitionRow
from .models import PeerBucket, Response
from .peer_cache import peer_histograms_committed, peer_histograms_invalidate
from .result_cache import result_pages_changed
from .scoring import Answer, answers_to_json, score_response
from .selectors import definition_file_get
from .tasks import result_link_send


class ResultEmailTakenError(Exception):
    """The result has an email already: it is the respondent's, taken once."""


class DefinitionChangedError(RuntimeError):
    """The definition file of a stored version was edited; publish a new version instead."""


def definition_row_get_or_create(*, version: str) -> tuple[DefinitionRow, Definition]:
    """The stored row of definition ``version``, created from its file on first use.

    Raises:
        DefinitionChangedError: when the file's checksum differs from the stored copy,
            since stored results must keep the definition they were scored with.
        DefinitionError: when the file is missing or invalid.
    """
    definition, checksum, data = definition_file_get(version)
    row, _ = DefinitionRow.objects.get_or_create(
        version=version, defaults={"data": data, "checksum": checksum}
    )
    if row.checksum != checksum:
        raise DefinitionChangedError(
            f"benchmark definition {version} was edited after it was used; "
            "give the new text a new version"
        )
    return row, definition


def _bucket_keys(response: Response) -> list[tuple[str, str, str, int]]:
    """The histogram bars ``response`` counts in; none for a low-confidence response (too
    many "I don't know" answers to stand for its segment), and none for a dimension it
    left without a score."""
    if response.low_confidence:
        return []
    pool = PeerBucket.Pool.DEMO if response.is_demo else PeerBucket.Pool.REAL
    # Demo responses form one sample; real ones are also counted in their segment.
    segments = (
        [PeerBucket.ALL_SEGMENT] if response.is_demo else [PeerBucket.ALL_SEGMENT, response.segment]
    )
    values = {"overall": peers.score_key(float(response.overall_score) / 100)}
    values.update(
        {dim: peers.score_key(score) for dim, score in response.scored.dimensions.items()}
    )
    return [(pool, seg, metric, value) for seg in segments for metric, value in values.items()]


def peer_buckets_add(*, responses: Iterable[Response]) -> None:
    """Count ``responses`` into the histograms in one statement: an upsert that inserts
    missing bars and increments the others.

    The bars go in sorted key order, so concurrent submits lock the shared rows in the same
    order and cannot deadlock (an update filtered by OR locks them in scan order, which
    differs between submits). PostgreSQL and SQLite both take ``ON CONFLICT DO UPDATE``.
    """
    counts = Counter(key for r in responses for key in _bucket_keys(r))
    if not counts:
        return
    table = connection.ops.quote_name(PeerBucket._meta.db_table)
    keys = sorted(counts)
    for start in range(0, len(keys), _UPSERT_BATCH):
        batch = keys[start : start + _UPSERT_BATCH]
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(batch))
        params = [item for key in batch for item in (*key, counts[key])]
        # Only the table name (from the model) is formatted in; every value is a parameter.
        sql = (
            f"INSERT INTO {table} (pool, segment, metric, value, count) VALUES {values} "  # noqa: S608  # nosec B608
            "ON CONFLICT (pool, segment, metric, value) "
            f"DO UPDATE SET count = {table}.count + excluded.count"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    # The result pages' cached histograms are stale now; the caller starts another
    # generation once this commits (peer_histograms_committed).
    peer_histograms_invalidate()


# Rows per upsert statement: 5 parameters each, under SQLite's 32,766-parameter limit.
_UPSERT_BATCH = 2000


def peer_buckets_rebuild() -> int:
    """Recount every histogram from the stored responses; returns the responses counted."""
    with transaction.atomic():
        total = _peer_buckets_recount()
    peer_histograms_committed()
    return total


def _peer_buckets_recount() -> int:
    PeerBucket.objects.all().delete()
    counts: Counter[tuple[str, str, str, int]] = Counter()
    total = 0
    for response in Response.objects.only(
        "overall_score",
        "result",
        "is_demo",
        "low_confidence",
        "revenue_band",
        "business_model",
        "team_size",
    ).iterator(chunk_size=5000):
        counts.update(_bucket_keys(response))
        total += 1
    PeerBucket.objects.bulk_create(
        [
            PeerBucket(pool=p, segment=s, metric=m, value=v, count=n)
            for (p, s, m, v), n in counts.items()
        ],
        batch_size=2000,
    )
    peer_histograms_invalidate()
    return total


def _response_build(
    *,
    row: DefinitionRow,
    definition: Definition,
    profile: Mapping[str, str],
    answers: Mapping[str, Answer],
    completed_at: datetime,
    is_demo: bool,
    organization: Organization | None = None,
    respondent: User | None = None,
) -> Response:
    result = score_response(definition, answers)
    return Response(
        definition=row,
        organization=organization,
        respondent=respondent,
        revenue_band=profile["revenue_band"],
        business_model=profile["business_model"],
        team_size=profile["team_size"],
        answers=answers_to_json(answers),
        result=result.as_json(),
        overall_score=result.overall,
        tier=result.tier.id,
        low_confidence=result.low_confidence,
        is_demo=is_demo,
        completed_at=completed_at,
    )


def response_submit(
    *,
    profile: Mapping[str, str],
    answers: Mapping[str, Answer],
    completed_at: datetime,
    is_demo: bool = False,
    organization: Organization | None = None,
    respondent: User | None = None,
) -> Response:
    """Score ``answers`` with the current definition, store the response and count it in
    the peer histograms (the result pages' cached copies start a new generation; a caller
    that wraps this in its own transaction calls ``peer_histograms_committed`` after it).

    ``profile`` holds ``revenue_band``, ``business_model`` and ``team_size`` (not scored).
    A signed-in member's response belongs to ``organization`` with ``respondent`` set.

    Raises:
        AnswerError: when an answer is missing or out of range (nothing is stored).
    """
    with transaction.atomic():
        row, definition = definition_row_get_or_create(version=settings.BENCHMARK_DEFINITION)
        response = _response_build(
            row=row,
            definition=definition,
            profile=profile,
            answers=answers,
            completed_at=completed_at,
            is_demo=is_demo,
            organization=organization,
            respondent=respondent,
        )
        response.save()
        peer_buckets_add(responses=[response])
        if organization is not None and not is_demo:
            _response_completed_emit(response=response, organization=organization)
    peer_histograms_committed()
    return response


def _response_completed_emit(*, response: Response, organization: Organization) -> None:
    """Tell the organization's firm (its CRM) that a member completed the self-score."""
    scored = response.scored
    webhook_event_emit_for(
        organization=organization,
        event_type=EventType.RESPONSE_COMPLETED,
        data={
            "response_id": str(response.public_id),
            "completed_at": response.completed_at,
            "overall_score": response.overall_score,
            "tier": response.tier,
            "widest_gap": scored.widest_gap,
            "segment": {
                "revenue_band": response.revenue_band,
                "business_model": response.business_model,
                "team_size": response.team_size,
            },
            "url": absolute_url(reverse("benchmark:result", args=[response.public_id])),
        },
    )


def response_email_save(*, response: Response, email: str) -> None:
    """Save ``email`` on a response that has none, and send it the result link after
    commit. The address belongs to the respondent: it is taken once, so whoever else holds
    the result's link can neither replace it nor send mail with it.

    Raises:
        ResultEmailTakenError: the response has an email already (also when another
            request set it a moment ago: the update is conditional).
    """
    saved = Response.objects.filter(pk=response.pk, email="").update(
        email=email, updated_at=timezone.now()
    )
    if not saved:
        raise ResultEmailTakenError
    response.email = email
    result_pages_changed()  # an update() sends no signal: the page loses its email form
    enqueue_on_commit(result_link_send, response.pk)


def responses_bulk_create(
    *,
    items: Iterable[tuple[Mapping[str, str], Mapping[str, Answer], datetime]],
    is_demo: bool,
    batch_size: int = 2000,
) -> int:
    """Score and store many responses at once (demo data, imports, benchmarks), then
    recount the peer histograms. Run it when no one is submitting (a management task).

    ``items`` yields ``(profile, answers, completed_at)``. Returns the number stored.

    Raises:
        AnswerError: on the first response that cannot be scored (nothing is stored).
    """
    with transaction.atomic():
        row, definition = definition_row_get_or_create(version=settings.BENCHMARK_DEFINITION)
        responses = [
            _response_build(
                row=row,
                definition=definition,
                profile=profile,
                answers=answers,
                completed_at=completed_at,
                is_demo=is_demo,
            )
            for profile, answers, completed_at in items
        ]
        Response.objects.bulk_create(responses, batch_size=batch_size)
        # One recount is cheaper than incrementing thousands of distinct bars.
        peer_buckets_rebuild()
    peer_histograms_committed()
    return len(responses)


@transaction.atomic
def response_mark_headline(*, response: Response, marked_by: User) -> None:
    """Make ``response`` the organization's score (the dashboard's headline and the board
    report's), in place of any other; ``marked_by`` is the client admin who chose it."""
    Response.objects.filter(organization=response.organization, is_headline=True).exclude(
        pk=response.pk
    ).update(is_headline=False, headline_marked_by=None)
    response.is_headline = True
    response.headline_marked_by = marked_by
    response.save(update_fields=["is_headline", "headline_marked_by", "updated_at"])
