"""A review's snapshot read back as typed sections, from every version ever stored.

The fixtures are the demo's day-30 and day-90 reviews as main froze them before snapshots
had a version (main at 872b620, `load_demo`): real version-1 rows, read here unchanged.
"""

import copy
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tests.domain.metrics_helpers import (
    empty_runs,
    spend_runs,
    standard_events,
    standard_opportunities,
    standard_runs,
    standard_spend,
)
from workflows.reviews.metrics import CreditPolicy
from workflows.reviews.snapshot import ReviewFrames, review_snapshot_compute
from workflows.reviews.stored import (
    SNAPSHOT_VERSION,
    StoredSnapshotError,
    baseline_read,
    snapshot_read,
)

FIXTURES = Path(__file__).parent / "fixtures"


def version_1(day):
    return json.loads((FIXTURES / f"review_snapshot_v1_day{day}.json").read_text())


def test_a_version_1_day_90_row_reads_as_typed_sections_with_its_numbers():
    stored = version_1(90)

    snapshot = snapshot_read(stored)

    assert snapshot.version == 1 and snapshot.stage == 90
    assert (snapshot.start, snapshot.end, snapshot.as_of) == (
        "2026-08-31",
        "2026-11-29",
        "2026-11-29",
    )
    assert snapshot.throughput.ratio.estimate == stored["throughput"]["ratio"]["estimate"]
    assert snapshot.throughput.orchestrated.runs_per_week == 59.15
    assert snapshot.conversion.baseline.per_run == stored["conversion"]["baseline"]["per_run"]
    assert snapshot.pipeline.attributable_usd == 71033.88
    assert [s.stage for s in snapshot.pipeline.by_stage] == [
        row["stage"] for row in stored["pipeline"]["by_stage"]
    ]
    assert snapshot.cost.cost_per_touch_usd == 2.6078
    assert snapshot.payback.is_projection and snapshot.payback.projected_days == 104
    assert snapshot.baseline.weeks == 8 and snapshot.baseline.frozen
    assert snapshot.baseline.conversion["booked_call"] == 0.0541
    did = snapshot.effects.did
    assert did.comparison_name == "Webinar follow-up emails"
    assert did.throughput.table.effect.value == 48.8942
    assert did.conversion.pre_trends.diverge is False
    assert snapshot.effects.randomized.throughput.cuped.n_orchestrated == 91
    assert snapshot.risk.haircut_percent == 5.0 and snapshot.risk.factors[0].percent == 5.0
    assert snapshot.payback_range.likely.days == 110
    assert snapshot.npv.npv_projected.likely == -130841.92
    assert [w.review_day for w in snapshot.cost_trend.windows] == [30, 60, 90]
    assert set(snapshot.charts) == set(stored["charts"])


def test_reading_never_changes_the_stored_row():
    stored = version_1(90)
    before = copy.deepcopy(stored)

    snapshot = snapshot_read(stored)

    assert stored == before
    assert snapshot.stored == before  # what the CSV export flattens, as it was frozen


def test_a_version_1_day_30_row_has_no_revenue_sections():
    snapshot = snapshot_read(version_1(30))

    assert snapshot.throughput.ratio is not None
    assert snapshot.conversion is None
    assert snapshot.pipeline is None and snapshot.payback is None and snapshot.npv is None


def test_a_version_1_row_frozen_before_the_cfo_sections_reads_them_as_not_computed():
    stored = {
        k: v
        for k, v in version_1(90).items()
        if k not in ("baseline", "effects", "pipeline_range", "risk")
    }
    del stored["pipeline"]["by_stage"]  # an older pipeline, before created/won/lost

    snapshot = snapshot_read(stored)

    assert snapshot.baseline is None and snapshot.effects is None
    assert snapshot.pipeline_range is None and snapshot.risk is None
    assert snapshot.pipeline.by_stage == ()
    assert snapshot.pipeline.attributable_usd == 71033.88


def test_the_oldest_rows_read_with_empty_values():
    snapshot = snapshot_read({"stage": 30})

    assert snapshot.stage == 30 and snapshot.warnings == () and snapshot.charts == {}
    assert snapshot.throughput is None


def test_the_current_code_writes_version_2_and_reads_it_back():
    frames = ReviewFrames(
        standard_runs(), standard_events(), standard_opportunities(), standard_spend()
    )
    stored = review_snapshot_compute(
        stage=90,
        go_live=date(2026, 3, 2),
        due_date=date(2026, 5, 31),
        as_of=date(2026, 6, 1),
        frames=frames,
        policy=CreditPolicy(),
        build_cost_usd=Decimal("20000"),
    )

    snapshot = snapshot_read(json.loads(json.dumps(stored)))

    assert stored["version"] == SNAPSHOT_VERSION == snapshot.version == 2
    assert snapshot.throughput.ratio.estimate == stored["throughput"]["ratio"]["estimate"]
    assert snapshot.payback.build_cost_usd == 20000.0
    assert snapshot.warnings == tuple(stored["warnings"])


def test_a_version_2_row_missing_a_field_is_refused_by_name():
    stored = {**version_1(90), "version": 2}
    del stored["throughput"]["orchestrated"]["runs_per_week"]

    with pytest.raises(StoredSnapshotError, match=r"throughput\.orchestrated\.runs_per_week"):
        snapshot_read(stored)


def test_a_value_of_the_wrong_type_is_refused():
    stored = version_1(90)
    stored["throughput"]["orchestrated"]["runs"] = "769"

    with pytest.raises(StoredSnapshotError, match=r"orchestrated\.runs is str"):
        snapshot_read(stored)


def test_an_unknown_version_is_refused():
    with pytest.raises(StoredSnapshotError, match="version 99"):
        snapshot_read({"version": 99, "stage": 30})


def test_a_plans_baseline_reads_as_the_snapshots_does():
    stored = version_1(90)

    baseline = baseline_read(stored["baseline"])

    assert baseline == snapshot_read(stored).baseline
    assert baseline.runs_per_week == 41.62 and baseline.events["booked_call"] == 18


def test_a_backfilled_baseline_says_so_and_one_without_weeks_gives_its_reason():
    backfilled = baseline_read({**version_1(30)["baseline"], "backfilled": True})
    missing = baseline_read({"weeks": 0, "reason": "No runs before go-live.", "frozen": False})

    assert backfilled.backfilled and backfilled.frozen
    assert missing.weeks == 0 and missing.reason == "No runs before go-live."
    assert missing.start is None and missing.runs_per_week is None


@pytest.mark.parametrize("stage", [30, 60, 90])
@pytest.mark.parametrize(
    ("runs", "as_of"),
    [
        pytest.param(standard_runs, date(2026, 6, 1), id="runs"),
        pytest.param(spend_runs, date(2026, 6, 1), id="runs with AI steps"),
        pytest.param(empty_runs, date(2026, 6, 1), id="no runs"),
        pytest.param(standard_runs, date(2026, 2, 1), id="before go-live"),
    ],
)
def test_whatever_the_data_the_current_code_writes_a_snapshot_the_strict_reader_takes(
    stage, runs, as_of
):
    frames = ReviewFrames(runs(), standard_events(), standard_opportunities(), standard_spend())
    stored = review_snapshot_compute(
        stage=stage,
        go_live=date(2026, 3, 2),
        due_date=date(2026, 3, 2) + timedelta(days=stage - 1),
        as_of=as_of,
        frames=frames,
        policy=CreditPolicy(),
        build_cost_usd=Decimal("50000"),
    )

    snapshot = snapshot_read(json.loads(json.dumps(stored)))

    assert snapshot.version == SNAPSHOT_VERSION and snapshot.stage == stage
    assert snapshot.empty == (as_of < date(2026, 3, 2))
    assert (snapshot.conversion is not None) == (stage >= 60 and not snapshot.empty)
    assert (snapshot.payback is not None) == (stage >= 90 and not snapshot.empty)
