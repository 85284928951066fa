"""The demo organization's first workflow: its current and future maps (the live data is
``demo.live``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from workflows.models import (
    CandidateWorkflow,
    Step,
    WorkflowMap,
)

# Each step: name, actor, tool, owner, team, inputs, outputs, manual transfer, process
# minutes, wait minutes after, failure route, done means.
DemoStep = tuple[Any, ...]
CURRENT_STEPS: list[DemoStep] = [
    (
        "Read the demo request in the shared inbox",
        "human",
        "Gmail",
        "SDR on duty",
        "Sales",
        ["email", "company", "message"],
        ["email", "company", "message"],
        False,
        2,
        47,
        "none",
        "Someone has claimed the request",
    ),
    (
        "Look the company up and copy details into HubSpot",
        "human",
        "HubSpot",
        "SDR on duty",
        "Sales",
        ["email", "company"],
        ["contact_id", "company_size"],
        True,
        6,
        5,
        "none",
        "Contact and company exist in HubSpot",
    ),
    (
        "Draft and send a personal reply",
        "human",
        "Gmail",
        "SDR on duty",
        "Sales",
        ["contact_id", "company_size", "message"],
        ["reply_sent"],
        False,
        4,
        240,
        "none",
        "Reply sent with a booking link",
    ),
    (
        "Log the touch for marketing",
        "human",
        "Google Sheets or HubSpot",
        "Marketing ops",
        "Marketing",
        ["reply_sent", "campaign"],
        ["touch_logged"],
        True,
        2,
        0,
        "none",
        "Row added to the weekly sheet",
    ),
]
FUTURE_STEPS: list[DemoStep] = [
    (
        "Enrich the new contact",
        "ai",
        "Clay",
        "RevOps",
        "RevOps",
        ["email", "company"],
        ["email", "company", "company_size", "industry"],
        False,
        0.05,
        0,
        "retry",
        "Company size and industry filled",
    ),
    (
        "Draft the first reply",
        "ai",
        "OpenAI",
        "Head of demand gen",
        "Marketing",
        ["email", "company", "company_size", "industry"],
        ["email", "draft"],
        False,
        0.0667,
        0,
        "queue",
        "Draft under 120 words with a booking link",
    ),
    (
        "Send the reply",
        "rule",
        "HubSpot",
        "Head of demand gen",
        "Marketing",
        ["email", "draft"],
        ["email", "reply_sent"],
        False,
        0.0333,
        0,
        "retry",
        "Email delivered",
    ),
    (
        "Parse the answer and route it",
        "ai",
        "OpenAI",
        "SDR team lead",
        "Sales",
        ["email", "reply_sent"],
        ["intent", "owner"],
        False,
        0.05,
        0,
        "human",
        "Booked, or routed to an SDR for pricing questions",
    ),
]


def demo_maps_load(workflow: CandidateWorkflow) -> None:
    maps: list[tuple[str, list[DemoStep], dict[str, Any]]] = [
        (
            WorkflowMap.Kind.CURRENT,
            CURRENT_STEPS,
            {
                "trigger": "",
                "outcome_owner": "",
                "outcome_logged": False,
                "kpi": "",
                "runs_per_week": 80,
            },
        ),
        (
            WorkflowMap.Kind.FUTURE,
            FUTURE_STEPS,
            {
                "trigger": "HubSpot form 'Request a demo' submitted (webhook)",
                "outcome_owner": "Head of demand gen",
                "outcome_logged": True,
                "kpi": "Demo requests booked within 1 hour",
                "runs_per_week": 80,
            },
        ),
    ]
    for kind, steps, settings in maps:
        workflow_map = WorkflowMap.objects.create(
            organization=workflow.organization, workflow=workflow, kind=kind, **settings
        )
        Step.objects.bulk_create(
            Step(
                map=workflow_map,
                position=i,
                name=name,
                actor=actor,
                tool=tool,
                owner=owner,
                team=team,
                inputs=inputs,
                outputs=outputs,
                manual_transfer=manual,
                process_minutes=Decimal(str(process)),
                wait_minutes=Decimal(str(wait)),
                failure_route=route,
                done_criteria=done,
            )
            for i, (
                name,
                actor,
                tool,
                owner,
                team,
                inputs,
                outputs,
                manual,
                process,
                wait,
                route,
                done,
            ) in enumerate(steps, start=1)
        )
