"""Reads of the 30-day plan."""

from __future__ import annotations

from core.fragments import rows_version

from ..models import CandidateWorkflow, Plan


def plan_get(*, workflow: CandidateWorkflow) -> Plan | None:
    """The workflow's plan, or None before it is set."""
    return Plan.objects.filter(workflow=workflow).first()


def plan_form_parts(*, plan: Plan) -> tuple[str, list[tuple[int, str]]]:
    """What the plan form's fields are drawn from, for their cached fragment
    (``core.fragments``): every stored value of the plan, and the workflows its comparison
    select offers (``(pk, name)`` in the select's order; the option shows the name). One
    query."""
    others = (
        CandidateWorkflow.objects.filter(organization_id=plan.organization_id)
        .exclude(pk=plan.workflow_id)
        .values_list("pk", "name")
    )
    return rows_version(plan), list(others)
