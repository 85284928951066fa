"""CSV imports: events and spend; safe CSV exports."""

import csv
import io
from datetime import date

import pandas as pd
import pytest

from tests.domain.imports_helpers import (
    AS_OF,
    fixture,
    problems_of,
    row,
    run_log,
)
from workflows.data.imports import (
    neutralise_cell,
    parse_events,
    parse_run_log,
    parse_spend,
    read_upload,
    to_csv_safe,
)

# --- events ---------------------------------------------------------------------------------


def test_events_read_kinds_by_their_usual_names():
    events = parse_events(read_upload(fixture("events.csv")), as_of=AS_OF)

    assert list(events.columns) == ["occurred_at", "kind", "arm", "event_id", "run_id"]
    assert events["kind"].tolist() == ["booked_call", "booked_call", "opportunity", "closed_won"]
    assert events["occurred_at"][1] == pd.Timestamp("2026-03-02T15:00:00Z")
    assert events["run_id"].tolist() == ["r-0001", "r-0003", "r-0001", "007"]
    assert str(events["occurred_at"].dtype) == "datetime64[ns, UTC]"


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("meeting booked", "booked_call"),
        ("Booked Call", "booked_call"),
        ("meeting", "booked_call"),
        ("booked_call", "booked_call"),
        ("opp", "opportunity"),
        ("Opportunity created", "opportunity"),
        ("won", "closed_won"),
        ("Closed-Won", "closed_won"),
    ],
)
def test_event_kinds_accept_their_aliases(written, kind):
    text = f"occurred_at,kind,arm\n2026-03-02T09:00:00Z,{written},baseline\n"

    assert parse_events(text, as_of=AS_OF)["kind"].tolist() == [kind]


def test_event_ids_are_line_numbers_when_absent_and_repeats_are_refused():
    generated = parse_events(
        "occurred_at,kind,arm\n2026-03-02,won,base\n2026-03-03,opp,orch\n", as_of=AS_OF
    )
    assert generated["event_id"].tolist() == ["2", "3"]
    assert generated["run_id"].tolist() == ["", ""]

    text = "event_id,occurred_at,kind,arm\ne1,2026-03-02,won,base\ne1,2026-03-03,lost,orch\n"
    problems = problems_of(lambda: parse_events(text, as_of=AS_OF))
    assert [(p.line, p.column) for p in problems] == [(3, "kind"), (3, "event_id")]
    assert problems[1].message == 'event_id "e1" is also on line 2.'


def test_events_in_the_future_are_refused():
    text = "occurred_at,kind,arm\n2026-05-01T00:00:00Z,won,baseline\n"

    problems = problems_of(lambda: parse_events(text, as_of=AS_OF))

    assert "is in the future" in problems[0].message


# --- spend ----------------------------------------------------------------------------------


def test_spend_reads_months_categories_and_maintenance_time():
    spend = parse_spend(read_upload(fixture("spend.csv")), as_of=AS_OF)

    assert list(spend.columns) == ["month", "category", "amount_usd"]
    assert spend["month"].tolist() == [date(2026, 1, 1)] * 3 + [date(2026, 2, 1)] * 2
    assert spend["category"].tolist() == [
        "subscription",
        "model_usage",
        "maintenance",
        "subscription",
        "maintenance",
    ]
    assert spend["amount_usd"].tolist() == [499.0, 1234.56, 552.5, 499.0, 170.0]


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        ("2026-13,subscription,5,,", "month", '"2026-13" is not a month'),
        ("03/2026,subscription,5,,", "month", '"03/2026" is not a month'),
        ("2026-05,subscription,5,,", "month", '"2026-05" is a month in the future.'),
        ("2026-01,coffee,5,,", "category", '"coffee" is not one of'),
        ("2026-01,subscription,,,", "amount_usd", "This value is empty."),
        ("2026-01,maintenance,,2,", "amount_usd", "This value is empty: give the amount, or"),
        ("2026-01,maintenance,100,2,85", "amount_usd", "100.00 does not match hours x rate_usd"),
        ("2026-01,maintenance,,two,85", "hours", '"two" is not a number'),
        ("2026-01,model_usage,-3,,", "amount_usd", '"-3" is negative'),
    ],
)
def test_bad_spend_lines_are_refused(line, column, message):
    text = f"month,category,amount_usd,hours,rate_usd\n2026-01,subscription,1,,\n{line}\n"

    problems = problems_of(lambda: parse_spend(text, as_of=AS_OF))

    assert (problems[0].line, problems[0].column) == (3, column)
    assert problems[0].message.startswith(message)


# --- exports --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Send SMS", "Send SMS"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(value, safe):
    assert neutralise_cell(value) == safe


def test_csv_exports_neutralise_formula_cells_but_not_numbers():
    frame = pd.DataFrame(
        {
            "=name": ["=cmd|' /C calc'!A0", "Lead routing"],
            "notes": pd.Series(["@SUM(1)", None], dtype=object),
            "step": pd.Series(["-1", "ok"], dtype="str"),
            "delta": [-5, 3],
            "day": [date(2026, 3, 4), date(2026, 3, 5)],
        }
    )

    text = to_csv_safe(frame)

    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["'=name", "notes", "step", "delta", "day"],
        ["'=cmd|' /C calc'!A0", "'@SUM(1)", "'-1", "-5", "2026-03-04"],
        ["Lead routing", "", "ok", "3", "2026-03-05"],
    ]


def test_an_imported_run_log_exports_safely():
    text = run_log(row(run_id="=1+1", stopped_at_step="@cmd"))

    exported = to_csv_safe(parse_run_log(text, as_of=AS_OF).runs)

    assert "'=1+1" in exported
    assert "'@cmd" in exported
