"""Map analysis by hand-computed cases (the dental-practice example of PRODUCT.md section 3
among them), plus properties of lead time, flow efficiency and the components."""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflows.maps.analysis import (
    BreakStepSuggestion,
    ComparisonRow,
    Handoff,
    analyze_map,
    compare_maps,
    format_minutes,
)
from workflows.maps.components import ContractMismatch, is_either_or
from workflows.maps.shapes import Actor, FailureRoute, MapInput, StepInput

D = Decimal
COMPONENT_IDS = ["trigger", "owner", "one_tool", "contracts", "error_routes", "logged", "kpi"]


def step(order, name=None, actor=Actor.AI, **fields):
    defaults = {
        "tool": "HubSpot",
        "team": "Marketing",
        "inputs": ("lead",),
        "outputs": ("lead",),
        "failure_route": FailureRoute.RETRY,
    }
    defaults.update(fields)
    return StepInput(order=order, name=name or f"Step {order}", actor=actor, **defaults)


def orchestrated(*steps, **fields):
    """A map meeting all 7 components unless ``fields`` or ``steps`` break one."""
    defaults = {
        "trigger": "Form submitted",
        "outcome_owner": "Dana (RevOps)",
        "outcome_logged": True,
        "kpi": "Bookings per week",
        "runs_per_week": D(0),
    }
    defaults.update(fields)
    return MapInput(name="Lead routing", steps=steps or (step(1), step(2), step(3)), **defaults)


def component(analysis, component_id):
    return next(c for c in analysis.components if c.id == component_id)


# The dental practice (PRODUCT.md section 3) ---------------------------------------------

DENTAL_CURRENT = MapInput(
    name="Inbound lead",
    trigger="Website form submitted",
    kpi="Bookings per week",
    runs_per_week=D(100),  # 20 leads a day, 5 days: the SDR's 4 hours a day at 12 min a lead
    steps=(
        StepInput(
            order=1,
            name="Receive the web form",
            actor=Actor.RULE,
            tool="Website form",
            team="Marketing",
            outputs=("name", "phone", "email"),
        ),
        StepInput(
            order=2,
            name="Look up the lead",
            actor=Actor.HUMAN,
            tool="HubSpot or the booking system",
            team="Front desk",
            inputs=("name", "phone"),
            outputs=("name", "phone", "treatment", "location"),
            manual_transfer=True,
            process_minutes=D(6),
            wait_minutes=D(47),
        ),
        StepInput(
            order=3,
            name="Draft the SMS",
            actor=Actor.HUMAN,
            tool="Notes",
            team="Front desk",
            inputs=("First name", "treatment"),
            outputs=("message", "phone"),
            process_minutes=D(4),
        ),
        StepInput(
            order=4,
            name="Send the SMS",
            actor=Actor.HUMAN,
            tool="Practice phone",
            team="Front desk",
            inputs=("message", "phone"),
            outputs=("sent at",),
            process_minutes=D(2),
        ),
    ),
)

# 3 s, 4 s, 2 s to the first touch: 0.05 + 0.0667 + 0.0333 = 0.15 minutes = 9 s.
DENTAL_FUTURE = MapInput(
    name="Inbound lead",
    trigger="CRM webhook: new lead created",
    outcome_owner="Practice manager",
    outcome_logged=True,
    kpi="Bookings per week",
    runs_per_week=D(100),
    steps=(
        StepInput(
            order=1,
            name="Enrich the lead",
            actor=Actor.AI,
            tool="Clearbit",
            team="Front desk",
            inputs=("name", "phone"),
            outputs=("name", "phone", "treatment", "location"),
            process_minutes=D("0.05"),
            failure_route=FailureRoute.RETRY,
        ),
        StepInput(
            order=2,
            name="Draft the SMS",
            actor=Actor.AI,
            tool="OpenAI",
            team="Front desk",
            inputs=("Name", " treatment ", "location"),
            outputs=("message", "phone"),
            process_minutes=D("0.0667"),
            failure_route=FailureRoute.QUEUE,
        ),
        StepInput(
            order=3,
            name="Send the SMS",
            actor=Actor.RULE,
            tool="Twilio",
            team="Front desk",
            inputs=("message", "phone"),
            outputs=("reply",),
            process_minutes=D("0.0333"),
            failure_route=FailureRoute.DEAD_LETTER,
        ),
        StepInput(
            order=4,
            name="Parse the reply's intent",
            actor=Actor.AI,
            tool="OpenAI",
            team="Front desk",
            inputs=("reply",),
            outputs=("intent",),
            process_minutes=D("0.05"),
            failure_route=FailureRoute.HUMAN,  # clinical questions go to a human
        ),
    ),
)


def test_the_dental_current_state_is_automation_with_five_components_missing():
    analysis = analyze_map(DENTAL_CURRENT)
    assert analysis.verdict == "Automation"
    assert not analysis.is_orchestrated
    assert analysis.missing == (
        "A named owner of the outcome",
        "One named tool per step",
        "Data contracts that match",
        "An error-handling route for every step",
        "A logged outcome for every run",
    )
    assert analysis.components_met == 2


def test_the_dental_current_state_times():
    analysis = analyze_map(DENTAL_CURRENT)
    assert analysis.process_minutes == D(12)
    assert analysis.wait_minutes == D(47)
    assert analysis.lead_time_minutes == D(59)
    assert analysis.flow_efficiency == D("0.203")  # 12 / 59 = 0.2034
    assert analysis.human_minutes_per_run == D(12)
    assert analysis.human_hours_per_week == D("20.00")  # 12 x 100 / 60


def test_the_dental_current_state_waste():
    analysis = analyze_map(DENTAL_CURRENT)
    assert analysis.copy_paste_steps == (2,)
    assert analysis.either_or_steps == (2,)
    assert analysis.handoffs == (Handoff(1, 2, "Marketing", "Front desk", D(0)),)
    assert analysis.mismatches == (ContractMismatch(2, 3, ("First name",)),)


def test_the_dental_current_state_breaks_at_the_look_up():
    assert analyze_map(DENTAL_CURRENT).break_step == BreakStepSuggestion(
        order=2,
        name="Look up the lead",
        reason=(
            "Step 2 (Look up the lead) is a manual copy-paste followed by a 47-minute wait, "
            "the longest of the 2 weak points."
        ),
    )


def test_the_dental_future_state_is_orchestration():
    analysis = analyze_map(DENTAL_FUTURE)
    assert analysis.verdict == "Orchestration"
    assert analysis.is_orchestrated
    assert analysis.missing == ()
    assert analysis.process_minutes == D("0.2000")
    assert analysis.lead_time_minutes == D("0.2000")
    assert analysis.flow_efficiency == D("1.000")
    assert analysis.human_minutes_per_run == D(0)
    assert analysis.human_hours_per_week == D("0.00")
    assert analysis.copy_paste_steps == ()
    assert analysis.handoffs == ()
    assert analysis.break_step is None


def test_the_dental_future_first_touch_takes_nine_seconds():
    first_touch = sum(s.process_minutes for s in DENTAL_FUTURE.steps[:3])
    assert format_minutes(first_touch) == "9 s"


def test_the_dental_comparison():
    rows = compare_maps(analyze_map(DENTAL_CURRENT), analyze_map(DENTAL_FUTURE))
    assert rows == (
        ComparisonRow("Lead time", "59 min", "12 s", True),
        ComparisonRow("Process time", "12 min", "12 s", True),
        ComparisonRow("Flow efficiency", "20.3%", "100.0%", True),
        ComparisonRow("Human minutes per run", "12 min", "0 min", True),
        ComparisonRow("Copy-paste spots", "1", "0", True),
        ComparisonRow("Cross-team handoffs", "1", "0", True),
        ComparisonRow("Components met", "2 of 7", "7 of 7", True),
        ComparisonRow("Verdict", "Automation", "Orchestration", True),
    )


def test_a_comparison_the_wrong_way_round_is_worse():
    rows = compare_maps(analyze_map(DENTAL_FUTURE), analyze_map(DENTAL_CURRENT))
    assert [row.better for row in rows] == [False] * 8


def test_a_map_compared_with_itself_is_neither_better_nor_worse():
    analysis = analyze_map(DENTAL_CURRENT)
    assert [row.better for row in compare_maps(analysis, analysis)] == [None] * 8


# The 7 components ----------------------------------------------------------------------


def test_the_base_map_is_orchestrated():
    analysis = analyze_map(orchestrated())
    assert [c.id for c in analysis.components] == COMPONENT_IDS
    assert all(c.met for c in analysis.components)
    assert analysis.verdict == "Orchestration"
    assert analysis.missing == ()


@pytest.mark.parametrize(
    ("broken", "component_id", "label", "reason", "step_orders"),
    [
        (
            orchestrated(trigger="  "),
            "trigger",
            "A defined trigger",
            "No trigger is defined, so nothing says what starts a run.",
            (),
        ),
        (
            orchestrated(outcome_owner=""),
            "owner",
            "A named owner of the outcome",
            "No one is named as the owner of the outcome.",
            (),
        ),
        (
            orchestrated(step(1), step(2, "Draft reply", tool="HubSpot or Salesforce"), step(3)),
            "one_tool",
            "One named tool per step",
            "Step 2 (Draft reply) names more than one tool (HubSpot or Salesforce).",
            (2,),
        ),
        (
            orchestrated(step(1), step(2), step(3, "Send reply", tool=" ")),
            "one_tool",
            "One named tool per step",
            "Step 3 (Send reply) has no named tool.",
            (3,),
        ),
        (
            orchestrated(step(1), step(2, "Score", inputs=("lead", "score")), step(3)),
            "contracts",
            "Data contracts that match",
            "Step 2 (Score) needs score, which step 1 (Step 1) does not produce.",
            (2,),
        ),
        (
            orchestrated(step(1), step(2, "Score", inputs=()), step(3)),
            "contracts",
            "Data contracts that match",
            "The data contract from step 1 (Step 1) to step 2 (Score) is undefined: "
            "step 2 lists no inputs.",
            (2,),
        ),
        (
            orchestrated(step(1), step(2, "Score", outputs=()), step(3)),
            "contracts",
            "Data contracts that match",
            "The data contract from step 2 (Score) to step 3 (Step 3) is undefined: "
            "step 2 lists no outputs.",
            (3,),
        ),
        (
            orchestrated(step(1), step(2), step(3, "Draft reply", failure_route=FailureRoute.NONE)),
            "error_routes",
            "An error-handling route for every step",
            "Step 3 (Draft reply) has no failure route.",
            (3,),
        ),
        (
            orchestrated(outcome_logged=False),
            "logged",
            "A logged outcome for every run",
            "Run outcomes are not logged.",
            (),
        ),
        (
            orchestrated(kpi=""),
            "kpi",
            "A measurable KPI",
            "No measurable KPI is named.",
            (),
        ),
    ],
)
def test_each_component_fails_alone(broken, component_id, label, reason, step_orders):
    analysis = analyze_map(broken)
    unmet = [c for c in analysis.components if not c.met]
    assert [c.id for c in unmet] == [component_id]
    assert unmet[0].label == label
    assert unmet[0].reason == reason
    assert unmet[0].step_orders == step_orders
    assert analysis.verdict == "Automation"
    assert analysis.missing == (label,)


@pytest.mark.parametrize(
    ("component_id", "reason"),
    [
        ("trigger", "A run starts on a defined trigger: Form submitted."),
        ("owner", "Dana (RevOps) owns the outcome."),
        ("one_tool", "All 3 steps name exactly one tool."),
        ("contracts", "Every input of steps 2 to 3 is an output of the step before it."),
        ("error_routes", "All 3 steps have an error route."),
        ("logged", "Every run's outcome is logged."),
        ("kpi", "The KPI is Bookings per week."),
    ],
)
def test_met_components_say_why(component_id, reason):
    assert component(analyze_map(orchestrated()), component_id).reason == reason


def test_a_single_step_map_reads_in_the_singular():
    analysis = analyze_map(orchestrated(step(1, inputs=(), outputs=())))
    assert analysis.is_orchestrated
    assert component(analysis, "one_tool").reason == "The one step names exactly one tool."
    assert component(analysis, "error_routes").reason == "The one step has an error route."


def test_several_faults_are_all_named():
    analysis = analyze_map(
        orchestrated(
            step(1, "Find", failure_route=FailureRoute.NONE),
            step(2),
            step(3, "Send", failure_route=FailureRoute.NONE),
        )
    )
    routes = component(analysis, "error_routes")
    assert routes.step_orders == (1, 3)
    assert routes.reason == (
        "Step 1 (Find) has no failure route. Step 3 (Send) has no failure route."
    )


def test_a_map_with_no_steps_fails_the_step_components():
    analysis = analyze_map(replace(orchestrated(), steps=()))
    for component_id in ("one_tool", "contracts", "error_routes"):
        result = component(analysis, component_id)
        assert not result.met
        assert result.reason == "The map has no steps yet."
    assert analysis.missing == (
        "One named tool per step",
        "Data contracts that match",
        "An error-handling route for every step",
    )
    assert analysis.lead_time_minutes == D(0)
    assert analysis.flow_efficiency is None
    assert analysis.break_step is None


def test_the_first_steps_inputs_come_from_the_trigger():
    analysis = analyze_map(orchestrated(step(1, inputs=("anything",)), step(2), step(3)))
    assert component(analysis, "contracts").met


def test_the_last_step_needs_no_outputs():
    analysis = analyze_map(orchestrated(step(1), step(2), step(3, outputs=())))
    assert component(analysis, "contracts").met


# Contract mismatches -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outputs", "inputs", "missing"),
    [
        (("Email",), ("email",), ()),
        ((" email ",), ("EMAIL",), ()),
        (("email", "phone"), ("Phone",), ()),
        (("email",), ("email", "Phone Number"), ("Phone Number",)),
        (("email",), ("  Phone  ", "company"), ("Phone", "company")),
        (("email",), ("Phone", "phone"), ("Phone",)),
        ((), ("email",), ("email",)),
    ],
)
def test_mismatches_compare_without_case_or_whitespace(outputs, inputs, missing):
    analysis = analyze_map(orchestrated(step(1, outputs=outputs), step(2, inputs=inputs)))
    expected = (ContractMismatch(1, 2, missing),) if missing else ()
    assert analysis.mismatches == expected


# Either/or tools -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "tool",
    [
        "HubSpot or Salesforce",
        "HubSpot OR Salesforce",
        "either HubSpot or Salesforce",
        "Zapier/Make",
        "Zapier / Make",
        "Zapier and/or Make",
        "Sheets, Excel",
        "Sheets | Excel",
        "Gmail (or Outlook)",
    ],
)
def test_an_either_or_tool_is_flagged(tool):
    assert is_either_or(tool)
    analysis = analyze_map(orchestrated(step(1), step(2, tool=tool)))
    assert analysis.either_or_steps == (2,)
    assert component(analysis, "one_tool").step_orders == (2,)


@pytest.mark.parametrize(
    "tool", ["Outreach.io", "Salesforce", "Make", "Oracle", "Orbit", "Zoho CRM", "Monday.com"]
)
def test_a_single_tool_is_not_flagged(tool):
    assert not is_either_or(tool)
    analysis = analyze_map(orchestrated(step(1), step(2, tool=tool)))
    assert analysis.either_or_steps == ()
    assert component(analysis, "one_tool").met


def test_a_blank_tool_is_not_an_either_or_but_fails_one_tool():
    analysis = analyze_map(orchestrated(step(1), step(2, tool="")))
    assert analysis.either_or_steps == ()
    assert component(analysis, "one_tool").step_orders == (2,)


# Times -------------------------------------------------------------------------------


def test_lead_time_and_flow_efficiency_by_hand():
    # Process 5 + 10 + 15 = 30; wait 20 + 40 + 0 = 60; lead 90; efficiency 30 / 90 = 0.333.
    analysis = analyze_map(
        orchestrated(
            step(1, process_minutes=D(5), wait_minutes=D(20)),
            step(2, process_minutes=D(10), wait_minutes=D(40)),
            step(3, process_minutes=D(15)),
        )
    )
    assert analysis.process_minutes == D(30)
    assert analysis.wait_minutes == D(60)
    assert analysis.lead_time_minutes == D(90)
    assert analysis.flow_efficiency == D("0.333")


@pytest.mark.parametrize(
    ("process", "wait", "efficiency"),
    [
        ("2", "1", "0.667"),  # 2 / 3 = 0.6667
        ("1", "15", "0.063"),  # 1 / 16 = 0.0625, half up (half even would give 0.062)
        ("1", "7", "0.125"),
        ("0", "5", "0.000"),
        ("5", "0", "1.000"),
    ],
)
def test_flow_efficiency_rounds_half_up_to_three_decimals(process, wait, efficiency):
    analysis = analyze_map(
        orchestrated(step(1, process_minutes=D(process), wait_minutes=D(wait)), step(2))
    )
    assert analysis.flow_efficiency == D(efficiency)


def test_human_minutes_count_a_manual_transfer_ai_step():
    # Human 10 + AI copy-paste 4 (human time whatever the actor) = 14; AI 30 and rule 7 not.
    analysis = analyze_map(
        orchestrated(
            step(1, actor=Actor.HUMAN, process_minutes=D(10)),
            step(2, actor=Actor.AI, manual_transfer=True, process_minutes=D(4)),
            step(3, actor=Actor.AI, process_minutes=D(30)),
            step(4, actor=Actor.RULE, process_minutes=D(7)),
            runs_per_week=D(25),
        )
    )
    assert analysis.human_minutes_per_run == D(14)
    assert analysis.human_hours_per_week == D("5.83")  # 14 x 25 / 60 = 5.8333


def test_human_minutes_weight_a_step_by_its_share_of_runs():
    # Triage 4 min every run; SDR escalation 20 min on 15% of runs = 3; nurture 10 min on
    # 85% = 8.5: 4 + 3 + 8.5 = 15.5 minutes a run; x 60 runs / 60 = 15.5 h a week.
    analysis = analyze_map(
        orchestrated(
            step(1, "Triage", actor=Actor.HUMAN, process_minutes=D(4)),
            step(2, "SDR escalation", Actor.HUMAN, process_minutes=D(20), share_of_runs=D(15)),
            step(3, "Nurture", Actor.HUMAN, process_minutes=D(10), share_of_runs=D(85)),
            runs_per_week=D(60),
        )
    )
    assert analysis.human_minutes_per_run == D("15.5")
    assert analysis.human_hours_per_week == D("15.50")
    assert analysis.process_minutes == D(34)  # a run through every step


@pytest.mark.parametrize(
    ("route", "fields", "met"),
    [
        (FailureRoute.NONE, {}, False),
        (FailureRoute.NONE, {"retry_max_tries": 1}, False),  # one try is no retry
        (FailureRoute.NONE, {"retry_max_tries": 3, "retry_wait_seconds": D(1)}, True),
        (FailureRoute.NONE, {"failure_target": "Notify SDR"}, True),
        (FailureRoute.NONE, {"failure_target": "   "}, False),
        (FailureRoute.QUEUE, {}, True),
    ],
)
def test_a_retry_or_a_named_target_is_an_error_route(route, fields, met):
    analysis = analyze_map(orchestrated(step(1), step(2, failure_route=route, **fields)))
    assert component(analysis, "error_routes").met is met


# The break step ------------------------------------------------------------------------


def test_the_longest_wait_wins():
    analysis = analyze_map(
        orchestrated(
            step(1, "Copy", manual_transfer=True, wait_minutes=D(10)),
            step(2, "Paste", manual_transfer=True, wait_minutes=D(125)),
            step(3),
        )
    )
    assert analysis.break_step == BreakStepSuggestion(
        2,
        "Paste",
        "Step 2 (Paste) is a manual copy-paste followed by a wait of 2 h 05 min, "
        "the longest of the 2 weak points.",
    )


def test_an_undefined_cross_team_handoff_is_a_weak_point():
    analysis = analyze_map(
        orchestrated(
            step(1, "Qualify", team="Marketing", outputs=("lead",), wait_minutes=D(30)),
            step(2, "Call", team="Sales", inputs=("lead", "score")),
        )
    )
    assert analysis.break_step == BreakStepSuggestion(
        1,
        "Qualify",
        "Step 1 (Qualify) is a handoff to Sales with a mismatched data contract, "
        "followed by a 30-minute wait, the only weak point.",
    )


@pytest.mark.parametrize(
    ("first", "flaw"),
    [
        ({"outputs": ()}, "a handoff to Sales with no data contract"),
        ({"failure_route": FailureRoute.NONE}, "a handoff to Sales with no failure route"),
    ],
)
def test_other_undefined_handoffs(first, flaw):
    analysis = analyze_map(orchestrated(step(1, team="Marketing", **first), step(2, team="Sales")))
    assert analysis.break_step.reason == (
        f"Step 1 (Step 1) is {flaw}: the only weak point, though no wait follows it."
    )


def test_a_defined_cross_team_handoff_is_no_weak_point():
    analysis = analyze_map(
        orchestrated(step(1, team="Marketing", wait_minutes=D(60)), step(2, team="Sales"))
    )
    assert analysis.handoffs == (Handoff(1, 2, "Marketing", "Sales", D(60)),)
    assert analysis.break_step is None


def test_a_mismatch_within_one_team_is_no_weak_point():
    analysis = analyze_map(orchestrated(step(1, outputs=("x",)), step(2, inputs=("y",))))
    assert analysis.break_step is None


def test_a_handoff_needs_two_named_teams():
    analysis = analyze_map(
        orchestrated(step(1, team="", failure_route=FailureRoute.NONE), step(2, team="Sales"))
    )
    assert analysis.handoffs == ()
    assert analysis.break_step is None


def test_teams_differing_only_in_case_make_no_handoff():
    analysis = analyze_map(orchestrated(step(1, team="RevOps"), step(2, team=" revops ")))
    assert analysis.handoffs == ()


def test_on_equal_waits_a_manual_transfer_beats_a_handoff():
    analysis = analyze_map(
        orchestrated(
            step(1, team="Marketing", failure_route=FailureRoute.NONE, wait_minutes=D(20)),
            step(2, team="Sales", manual_transfer=True, wait_minutes=D(20)),
            step(3, team="Sales"),
        )
    )
    assert analysis.break_step.order == 2


def test_on_equal_waits_and_kinds_the_earlier_step_wins():
    analysis = analyze_map(
        orchestrated(
            step(1, manual_transfer=True, wait_minutes=D(20)),
            step(2, manual_transfer=True, wait_minutes=D(20)),
        )
    )
    assert analysis.break_step.order == 1


def test_a_manual_transfer_before_an_undefined_handoff_names_both():
    analysis = analyze_map(
        orchestrated(
            step(1, "Export", team="Marketing", manual_transfer=True, outputs=()),
            step(2, team="Sales"),
        )
    )
    assert analysis.break_step.reason == (
        "Step 1 (Export) is a manual copy-paste and a handoff to Sales with no data contract: "
        "the only weak point, though no wait follows it."
    )


def test_no_weak_point_no_break_step():
    assert analyze_map(orchestrated()).break_step is None


# Formatting ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        ("0", "0 min"),
        ("0.001", "under 1 s"),
        ("0.05", "3 s"),
        ("0.15", "9 s"),
        ("0.99", "59 s"),
        ("0.999", "1 min"),
        ("1", "1 min"),
        ("1.5", "2 min"),
        ("47", "47 min"),
        ("59.4", "59 min"),
        ("59.5", "1 h 00 min"),
        ("60", "1 h 00 min"),
        ("125", "2 h 05 min"),
        ("750", "12 h 30 min"),
    ],
)
def test_format_minutes(minutes, text):
    assert format_minutes(D(minutes)) == text


def test_format_minutes_rejects_a_negative_duration():
    with pytest.raises(ValueError, match="zero or more"):
        format_minutes(D(-1))


# Bad maps ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (orchestrated(step(1), step(1)), "step orders must be 1 to 2"),
        (orchestrated(step(1), step(3)), "step orders must be 1 to 2"),
        (orchestrated(step(0), step(1)), "step orders must be 1 to 2"),
        (orchestrated(step(2)), "step orders must be 1 to 1"),
        (orchestrated(step(1, process_minutes=D(-1))), "process minutes -1"),
        (orchestrated(step(1, wait_minutes=D("-0.5"))), "wait minutes -0.5"),
        (orchestrated(step(1, wait_minutes=D("NaN"))), "wait minutes NaN"),
        (orchestrated(runs_per_week=D(-1)), "runs per week must be zero or more"),
        (orchestrated(step(1, share_of_runs=D(101))), "share of runs of 101%"),
        (orchestrated(step(1, share_of_runs=D(-1))), "share of runs of -1%"),
    ],
)
def test_bad_maps_raise(bad, message):
    with pytest.raises(ValueError, match=message):
        analyze_map(bad)


def test_steps_given_out_of_order_are_taken_in_order():
    analysis = analyze_map(orchestrated(step(2, manual_transfer=True), step(1)))
    assert analysis.copy_paste_steps == (2,)
    assert component(analysis, "contracts").met


# Properties ----------------------------------------------------------------------------

minutes = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False)
teams = st.sampled_from(["Marketing", "Sales", "RevOps", ""])
fields_ = st.lists(st.sampled_from(["lead", "Email", "score", " phone"]), max_size=3)


@st.composite
def maps(draw):
    count = draw(st.integers(0, 6))
    steps = tuple(
        StepInput(
            order=order,
            name=f"Step {order}",
            actor=draw(st.sampled_from(list(Actor))),
            tool=draw(st.sampled_from(["HubSpot", "", "Zapier/Make"])),
            team=draw(teams),
            inputs=tuple(draw(fields_)),
            outputs=tuple(draw(fields_)),
            manual_transfer=draw(st.booleans()),
            process_minutes=draw(minutes),
            wait_minutes=draw(minutes),
            failure_route=draw(st.sampled_from(list(FailureRoute))),
        )
        for order in range(1, count + 1)
    )
    return MapInput(
        name="Any",
        trigger=draw(st.sampled_from(["", "Form submitted"])),
        outcome_owner=draw(st.sampled_from(["", "Dana"])),
        outcome_logged=draw(st.booleans()),
        kpi=draw(st.sampled_from(["", "Bookings"])),
        runs_per_week=draw(minutes),
        steps=steps,
    )


@given(maps())
def test_flow_efficiency_is_between_zero_and_one(map_):
    efficiency = analyze_map(map_).flow_efficiency
    assert efficiency is None or D(0) <= efficiency <= D(1)


@given(maps())
def test_lead_time_is_at_least_the_process_time(map_):
    analysis = analyze_map(map_)
    assert analysis.lead_time_minutes >= analysis.process_minutes


@given(maps(), st.data())
def test_adding_a_wait_never_lowers_the_lead_time(map_, data):
    if not map_.steps:
        return
    index = data.draw(st.integers(0, len(map_.steps) - 1))
    extra = data.draw(minutes)
    steps = list(map_.steps)
    steps[index] = replace(steps[index], wait_minutes=steps[index].wait_minutes + extra)
    longer = replace(map_, steps=tuple(steps))
    assert analyze_map(longer).lead_time_minutes >= analyze_map(map_).lead_time_minutes


@given(maps())
def test_components_met_is_between_zero_and_seven(map_):
    analysis = analyze_map(map_)
    assert 0 <= analysis.components_met <= 7
    assert len(analysis.components) == 7
    assert analysis.is_orchestrated == (analysis.components_met == 7)
    assert len(analysis.missing) == 7 - analysis.components_met
