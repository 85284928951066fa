"""Reads: definitions, responses and the peer comparison of a result."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.html import escape

from core.models import Membership, Organization

from . import peers
from .charts import bars_figure, history_figure, radar_figure
from .definition import Definition, DefinitionError, parse_definition, read_definition_file
from .models import BusinessModel, PeerBucket, Response, RevenueBand, TeamSize
from .peer_cache import peer_histograms_cached
from .spread import DimensionSpread, dimension_percents, member_spread
from .stored import StoredResult


@lru_cache(maxsize=8)
def _definition_from_file(version: str, directory: Path) -> tuple[Definition, str, dict]:
    data, checksum = read_definition_file(version, directory)
    return parse_definition(data), checksum, data


def definition_get_current() -> Definition:
    """The validated definition new responses are scored with (``BENCHMARK_DEFINITION``).

    Raises:
        DefinitionError: when the file is missing or breaks a rule.
    """
    return definition_file_get(settings.BENCHMARK_DEFINITION)[0]


def definition_file_get(version: str) -> tuple[Definition, str, dict]:
    """``(definition, sha256, raw data)`` of a definition file in
    ``BENCHMARK_DEFINITIONS_DIR``; parsed once per process."""
    return _definition_from_file(version, Path(settings.BENCHMARK_DEFINITIONS_DIR))


# Parsed stored definitions, keyed by (version, checksum): a stored row never changes.
_parsed_rows: dict[tuple[str, str], Definition] = {}


def definition_for_response(response: Response) -> Definition:
    """The definition ``response`` was scored with: its stored copy, not the file. When the
    file of that version still has the stored checksum it holds the same text, so the
    process's parsed file is used and the stored text (deferred by ``response_get``) is
    not read; otherwise the stored text is (one query)."""
    row = response.definition
    key = (row.version, row.checksum)
    if key not in _parsed_rows:
        try:
            definition, checksum, _ = definition_file_get(row.version)
        except DefinitionError:  # a version whose file is gone: the stored text is all
            checksum = ""
        _parsed_rows[key] = definition if checksum == row.checksum else parse_definition(row.data)
    return _parsed_rows[key]


def response_get(*, public_id: str) -> Response:
    """The completed response behind a result URL, with its definition and, when it was
    taken through a firm's link, its lead, firm and the firm's branding (one query).

    The definition's stored text is left out (a second query reads it if used): a process
    parses it once (``definition_for_response``), and decoding it on every page cost more
    than the rest of the row.

    Raises:
        Response.DoesNotExist: for an unknown id.
    """
    return (
        Response.objects.select_related("definition", "lead__firm__firm_profile")
        .defer("definition__data")
        .get(public_id=public_id)
    )


@dataclass(frozen=True)
class MetricPeers:
    """Peer figures for one metric, on the 0..100 scale: the respondent's percentile rank
    and the group's median score; both None when the group is empty."""

    percentile: float | None
    median: float | None


@dataclass(frozen=True)
class PeerComparison:
    """How a result compares with its peer group.

    ``kind`` says which group (segment, all real responses, or the demo sample on a fresh
    install), ``size`` how many completed responses it holds, ``description`` says both in
    words for the page, and ``metrics`` maps ``"overall"`` and each dimension id to
    :class:`MetricPeers`.
    """

    kind: peers.PeerGroupKind
    size: int
    description: str
    metrics: dict[str, MetricPeers]
    # The histograms' generation it was computed from (benchmark.peer_cache): the result
    # page caches its rendered figures under it.
    generation: str = ""


def _segment_label(response: Response) -> str:
    return ", ".join(
        [
            RevenueBand(response.revenue_band).label + " revenue",
            BusinessModel(response.business_model).label,
            TeamSize(response.team_size).label + " marketers",
        ]
    )


def peer_comparison_get(*, response: Response, definition: Definition) -> PeerComparison:
    """Compare ``response`` with its peers from the histograms (one query, none while the
    histograms of its segment are cached: ``benchmark.peer_cache``).

    Group rule: :func:`benchmark.peers.choose_peer_group`.
    """
    generation, histograms = peer_histograms_cached(response.segment)

    def size(pool: str, segment: str) -> int:
        return sum(histograms.get((pool, segment), {}).get("overall", {}).values())

    choice = peers.choose_peer_group(
        segment_size=size(PeerBucket.Pool.REAL, response.segment),
        all_size=size(PeerBucket.Pool.REAL, PeerBucket.ALL_SEGMENT),
        demo_size=size(PeerBucket.Pool.DEMO, PeerBucket.ALL_SEGMENT),
    )
    key = {
        peers.PeerGroupKind.SEGMENT: (PeerBucket.Pool.REAL, response.segment),
        peers.PeerGroupKind.ALL: (PeerBucket.Pool.REAL, PeerBucket.ALL_SEGMENT),
        peers.PeerGroupKind.DEMO: (PeerBucket.Pool.DEMO, PeerBucket.ALL_SEGMENT),
        peers.PeerGroupKind.NONE: ("", ""),
    }[choice.kind]
    group = histograms.get(key, {})
    own = {"overall": float(response.overall_score) / 100, **response.scored.dimensions}
    metrics = {}
    # Every dimension gets the peers' median; a dimension this result left without a score
    # ("I don't know" to all its questions) has no percentile.
    for metric in ["overall", *(d.id for d in definition.dimensions)]:
        histogram = group.get(metric, {})
        own_score = own.get(metric)
        rank = (
            None
            if own_score is None
            else peers.percentile_rank(histogram, peers.score_key(own_score))
        )
        median = peers.median_key(histogram)
        metrics[metric] = MetricPeers(
            percentile=None if rank is None else round(rank),
            median=None if median is None else round(median / 10, 1),
        )
    n = f"{choice.size:,}"
    description = {
        peers.PeerGroupKind.SEGMENT: (
            f"Compared with {n} completed responses in your segment ({_segment_label(response)})."
        ),
        peers.PeerGroupKind.ALL: (
            f"Compared with all {n} completed responses: your segment "
            f"({_segment_label(response)}) has fewer than {peers.SEGMENT_MIN_RESPONSES} yet."
        ),
        peers.PeerGroupKind.DEMO: (
            f"Compared with {n} demo responses (sample data, not real teams): fewer than "
            f"{peers.SEGMENT_MIN_RESPONSES} real responses have been completed so far."
        ),
        peers.PeerGroupKind.NONE: "No completed responses to compare with yet.",
    }[choice.kind]
    return PeerComparison(
        kind=choice.kind,
        size=choice.size,
        description=description,
        metrics=metrics,
        generation=generation,
    )


def membership_for_selfscore(user: Any) -> Membership | None:
    """The membership a signed-in user's self-score belongs to: their first client
    membership (consultants' own answers belong to no client). None when anonymous."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("organization")
        .filter(user=user)
        .exclude(role=Membership.Role.CONSULTANT)
        .order_by("created_at")
        .first()
    )


@dataclass(frozen=True)
class MemberScore:
    """A member's latest self-score: ``overall`` 0..100 and dimension scores 0..100."""

    name: str
    response: Response
    overall: float
    dimensions: dict[str, int]


@dataclass(frozen=True)
class Dashboard:
    """An organization's self-score picture.

    ``score`` is the organization's response and whose it is (None when there is none;
    ``organization_score_get``), ``members`` each respondent's latest, ``spread`` per
    dimension sorted widest disagreement first, and ``history_chart`` the Plotly figure of the
    retakes chart (overall score over time per member).
    """

    score: OrganizationScore | None
    tier_label: str
    members: list[MemberScore]
    spread: list[DimensionSpread]
    history_chart: dict[str, Any]
    response_count: int


def _respondent_name(response: Response) -> str:
    user = response.respondent
    if user is None:
        return "Former member"
    return user.get_full_name() or user.email


@dataclass(frozen=True)
class OrganizationScore:
    """The response that stands for the organization, and whose it is, in a sentence.

    PRODUCT.md: a client admin marks the organization's response; until one does, it is the
    latest response of a client admin, else the latest of any member. Never simply the most
    recent retake, so one member's retake cannot move the headline.
    """

    response: Response
    whose: str
    is_marked: bool


def response_list(*, organization: Organization) -> list[Response]:
    """The organization's self-score responses, oldest first (the latest last), with their
    respondents, definitions and headline markers loaded. One query."""
    return list(
        Response.objects.for_organization(organization)
        .select_related("respondent", "definition", "headline_marked_by")
        .order_by("completed_at", "pk")
    )


def organization_score_get(
    *, organization: Organization, responses: list[Response] | None = None
) -> OrganizationScore | None:
    """The organization's response (None when no member has one). ``responses`` (oldest
    first, respondents loaded) saves the query when the caller has them."""
    if responses is None:
        responses = response_list(organization=organization)
    if not responses:
        return None
    marked = next((r for r in responses if r.is_headline), None)
    if marked is not None:
        by = marked.headline_marked_by
        marker = (by.get_full_name() or by.email) if by else "a client admin"
        return OrganizationScore(
            marked,
            f"{_respondent_name(marked)}'s response of {marked.completed_at:%-d %b %Y}, "
            f"marked as the organization's by {marker}.",
            True,
        )
    admins = set(
        Membership.objects.filter(
            organization=organization, role=Membership.Role.CLIENT_ADMIN
        ).values_list("user_id", flat=True)
    )
    by_admin = [r for r in responses if r.respondent_id in admins]
    if by_admin:
        chosen = by_admin[-1]
        return OrganizationScore(
            chosen,
            f"{_respondent_name(chosen)}'s latest response, as client admin, until an admin "
            "marks the organization's.",
            False,
        )
    chosen = responses[-1]
    return OrganizationScore(
        chosen,
        f"{_respondent_name(chosen)}'s latest response: no client admin has taken the "
        "self-score yet.",
        False,
    )


def dashboard_get(*, organization: Organization) -> Dashboard:
    """Build the dashboard of ``organization`` from its responses (one query)."""
    responses = response_list(organization=organization)
    score = organization_score_get(organization=organization, responses=responses)
    if score is None:
        return Dashboard(None, "", [], [], {}, 0)
    headline = score.response
    definition = definition_for_response(headline)
    by_member: dict[Any, Response] = {}
    series: dict[Any, dict[str, Any]] = {}
    for response in responses:
        by_member[response.respondent_id] = response
        trace = series.setdefault(
            response.respondent_id, {"name": escape(_respondent_name(response)), "x": [], "y": []}
        )
        trace["x"].append(response.completed_at.isoformat())
        trace["y"].append(float(response.overall_score))
    members = [
        MemberScore(
            name=_respondent_name(r),
            response=r,
            overall=float(r.overall_score),
            dimensions=dimension_percents(r.scored.dimensions),
        )
        for r in sorted(by_member.values(), key=lambda r: -float(r.overall_score))
    ]
    spread = member_spread(definition.dimensions, (m.dimensions for m in members))
    return Dashboard(
        score=score,
        tier_label=definition.tier(headline.scored.tier).label,
        members=members,
        spread=spread,
        history_chart=history_figure(list(series.values())),
        response_count=len(responses),
    )


@dataclass(frozen=True)
class DimensionRow:
    """One dimension of a result beside its peers: ``score`` 0..100 (None when no question
    of it was answered), ``weight`` the points it carried (its defined weight, or more when
    unscored dimensions spread theirs; 0 when unscored), ``points`` = weight x score,
    ``answered`` of ``asked`` questions, peer ``percentile`` and ``median`` (0..100, None
    without peers)."""

    dimension: Any
    score: int | None
    points: float
    percentile: float | None
    median: float | None
    is_gap: bool
    weight: float = 0.0
    answered: int = 0
    asked: int = 0

    @property
    def is_scored(self) -> bool:
        return self.score is not None

    @property
    def rests_on_fewer(self) -> bool:
        """True when some of its questions were answered "I don't know"."""
        return self.answered < self.asked


def dimension_rows(
    *, result: StoredResult, definition: Definition, comparison: PeerComparison
) -> list[DimensionRow]:
    """The rows of the result table (and the radar), in definition order."""
    rows = []
    for dimension in definition.dimensions:
        asked = len(definition.questions_of(dimension.id))
        answered = result.answered.get(dimension.id, (asked, asked))[0]
        score = result.dimensions.get(dimension.id)
        weight = result.weight(dimension.id, dimension.weight)
        metric = comparison.metrics.get(dimension.id, MetricPeers(None, None))
        rows.append(
            DimensionRow(
                dimension=dimension,
                score=None if score is None else round(100 * score),
                points=0.0 if score is None else round(weight * score, 1),
                percentile=metric.percentile,
                median=metric.median,
                is_gap=dimension.id == result.widest_gap,
                weight=round(weight, 1),
                answered=answered,
                asked=asked,
            )
        )
    return rows


def result_radar(rows: list[DimensionRow], comparison: PeerComparison) -> dict[str, Any]:
    """The radar figure of ``rows`` against the peer median (labelled when it is demo data)."""
    demo = comparison.kind == peers.PeerGroupKind.DEMO
    return radar_figure(
        [_chart_label(r) for r in rows],
        [r.score for r in rows],
        [r.median for r in rows] if comparison.size else None,
        "Peer median (demo sample)" if demo else "Peer median",
    )


def result_bars(rows: list[DimensionRow], comparison: PeerComparison) -> dict[str, Any]:
    """The same profile as bars, for a phone (the result page switches at narrow widths)."""
    demo = comparison.kind == peers.PeerGroupKind.DEMO
    return bars_figure(
        [_chart_label(r) for r in rows],
        [r.score for r in rows],
        [r.median for r in rows] if comparison.size else None,
        "Peer median (demo sample)" if demo else "Peer median",
    )


def _chart_label(row: DimensionRow) -> str:
    """A dimension's label on a chart: one with no score says so, as it draws no point."""
    label: str = row.dimension.label
    return label if row.is_scored else f"{label} (not answered)"
