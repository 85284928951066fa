"""Reads of the 30-day plan."""

from __future__ import annotations

from ..models import CandidateWorkflow, Plan


def plan_get(*, workflow: CandidateWorkflow) -> Plan | None:
    """The workflow's plan, or None before it is set."""
    return Plan.objects.filter(workflow=workflow).first()
