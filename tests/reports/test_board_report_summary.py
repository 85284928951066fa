"""The board report opens with an executive summary and ends with a methods appendix."""

from reports.summary import NOT_COMPUTED, executive_summary, methods_appendix
from workflows.reviews.stored import snapshot_read

SNAPSHOT = {
    "warnings": ["The payback period of 104 days is a projection, not a result."],
    "pipeline_range": {
        "low": 100.0,
        "likely": 200.0,
        "high": 250.0,
        "lost_usd": 50.0,
        "standard_error": 40.0,
    },
    "risk": {
        "haircut_percent": 20.0,
        "factors": [{"name": "Window", "percent": 20.0, "reason": ""}],
    },
    "payback_range": {
        "low": {"days": 300, "label": "projected"},
        "likely": {"days": 120, "label": "projected"},
        "high": {"days": 80, "label": "reached"},
    },
}


def test_the_summary_gives_the_decision_the_ranges_and_what_is_not_defensible():
    summary = executive_summary(snapshot_read(SNAPSHOT), decision="Cut over", stage_label="day-90")
    assert summary["decision"] == "Cut over"
    rows = {row[0]: row for row in summary["numbers"]}
    assert rows["AI-attributable pipeline"][1:4] == ("$100", "$200", "$250")
    assert rows["Payback period"][1:4] == (
        "300 days (projected)",
        "120 days (projected)",
        "80 days (reached)",
    )
    assert summary["not_defensible"] == SNAPSHOT["warnings"]


def test_a_snapshot_frozen_before_says_not_computed_then():
    entries = {
        e["name"]: e for e in methods_appendix(snapshot_read({"pipeline": {"attributable_usd": 5}}))
    }
    assert entries["Net present value"]["inputs"] == NOT_COMPUTED
    assert "Card & Krueger" in entries["Difference-in-differences"]["source"]
    assert "Lan & DeMets" in entries["Intervals over three looks"]["source"]
    summary = executive_summary(
        snapshot_read({"pipeline": {"attributable_usd": 5}}), decision="Stop", stage_label="day-90"
    )
    assert summary["numbers"][0][4] == NOT_COMPUTED and not summary["computed"]
