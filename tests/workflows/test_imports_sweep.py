"""Every kind of import is all-or-nothing and non-destructive.

For each upload kind of the data page: a good file is stored; then a file whose last row is
bad is refused, naming that row's line, and everything stored before stays exactly as it
was; and a file that leaves out an optional column never blanks what is stored for it.
A new upload kind fails ``test_the_sweep_knows_every_kind`` until it is taught here.
"""

import pytest

from tests.workflows.test_data_uploads import day, import_file
from workflows.models import (
    DataImport,
    DownstreamEvent,
    Opportunity,
    RunDay,
    SpendMonth,
)

pytestmark = pytest.mark.django_db


GOOD = {
    "runs": (
        "run_id,started_at,ended_at,status,arm,steps_total,steps_succeeded,ai_steps,stopped_at_step\n"
        f"r1,{day(3)}T09:00:00Z,{day(3)}T09:00:09Z,succeeded,orchestrated,4,4,3,\n"
        f"r2,{day(2)}T09:00:00Z,{day(2)}T09:47:00Z,succeeded,baseline,4,4,0,\n"
    ),
    "events": (
        "event_id,occurred_at,kind,arm,run_id\n"
        f"e1,{day(3)}T10:00:00Z,booked_call,orchestrated,r1\n"
        f"e2,{day(2)}T11:00:00Z,booked_call,baseline,r2\n"
    ),
    "opportunities": (
        "Record ID,Create Date,Amount,AI Touch,Deal Stage,Close Date\n"
        f"101,{day(20)},12500,AI-generated,closedwon,{day(2)}\n"
        f"102,{day(10)},8000,none,Qualified to buy,\n"
    ),
    "spend": (
        "month,category,amount_usd\n"
        f"{day(40)[:7]},subscription,1200\n"
        f"{day(10)[:7]},model_usage,340\n"
    ),
}
BAD_LAST_ROW = {
    "runs": f"r3,{day(1)}T09:00:00Z,,sideways,orchestrated,4,9,1,\n",
    "events": "e3,not a date,booked_call,orchestrated,r1\n",
    "opportunities": f"103,{day(5)},twelve dollars,none,closedlost,{day(1)}\n",
    "spend": f"{day(5)[:7]},subscription,-+12\n",
}
STORED = {
    "runs": RunDay,
    "events": DownstreamEvent,
    "opportunities": Opportunity,
    "spend": SpendMonth,
}


def rows(model):
    return sorted(
        tuple(sorted((k, str(v)) for k, v in row.items() if k != "id"))
        for row in model.objects.values()
    )


def test_the_sweep_knows_every_kind():
    assert set(GOOD) == set(DataImport.Kind.values)


@pytest.mark.parametrize("kind", sorted(GOOD))
def test_a_bad_row_refuses_the_whole_file_and_keeps_what_was_stored(
    client,
    workflow,
    kind,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        import_file(client, workflow, kind, GOOD[kind])
    first = DataImport.objects.get()
    assert first.status == "done", first.message
    before = rows(STORED[kind])
    assert before

    changed = GOOD[kind].replace("12500", "99999").replace("1200", "5555")
    with django_capture_on_commit_callbacks(execute=True):
        import_file(client, workflow, kind, changed + BAD_LAST_ROW[kind])
    refused = DataImport.objects.latest("pk")
    assert refused.status == "failed"
    assert any(p.get("line") == 4 for p in refused.problems), refused.problems
    assert rows(STORED[kind]) == before  # nothing half-imported, nothing changed


def test_a_report_without_stages_never_reopens_won_deals(
    client,
    workflow,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        import_file(client, workflow, "opportunities", GOOD["opportunities"])
    assert Opportunity.objects.get(opportunity_id="101").stage == "won"
    without_stages = f"Record ID,Create Date,Amount\n101,{day(20)},13000\n102,{day(10)},8000\n"
    with django_capture_on_commit_callbacks(execute=True):
        import_file(client, workflow, "opportunities", without_stages)
    assert DataImport.objects.latest("pk").status == "done"
    won = Opportunity.objects.get(opportunity_id="101")
    assert (won.stage, won.amount_usd, won.ai_flag) == ("won", 13000, "generated")
    assert won.close_date is not None
