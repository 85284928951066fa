"""Reads for the Revenue Audit: assessment questions, progress, derived figures, pipeline."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from benchmark.definition import Question
from benchmark.selectors import definition_file_get, definition_get_current
from benchmark.unknown import UnknownAnswer
from core.fragments import rows_version
from core.models import Membership
from workflows.candidates.filter import FilterResult, rank_candidates
from workflows.models import CandidateWorkflow

from . import lifecycle
from .models import Audit, AuditTool, Tier
from .qualification import Qualification, QualificationInput, qualify
from .stack import StackSummary, summarize_stack

# The ten assessment questions, drawn from the benchmark: orchestration, measurement and
# attribution first (PRODUCT.md section 2), then the data, reporting and governance ones
# that decide whether a chain can be built and trusted.
ASSESSMENT_QUESTION_IDS = (
    "orchestration_chain",
    "orchestration_handoffs",
    "orchestration_ownership",
    "measurement_pipeline",
    "measurement_cost",
    "attribution_flags",
    "data_truth",
    "data_flow",
    "reporting_weekly",
    "governance_review",
)
DUE_SOON = timedelta(hours=4)


def assessment_unknown() -> UnknownAnswer | None:
    """The benchmark's "I don't know" answer, offered by every assessment question when
    the current definition has one."""
    return definition_get_current().unknown


def assessment_questions() -> tuple[Question, ...]:
    """The ten benchmark questions the intake asks, in intake order."""
    by_id = {q.id: q for q in definition_get_current().questions}
    return tuple(by_id[q_id] for q_id in ASSESSMENT_QUESTION_IDS)


@dataclass(frozen=True)
class Section:
    """An intake section and whether it is complete."""

    id: str
    label: str
    done: bool


def intake_sections(
    audit: Audit, tools: list[AuditTool], candidates: list[CandidateWorkflow]
) -> list[Section]:
    """The seven sections of the intake, each done or not (drives the progress indicator)."""
    return [
        Section(
            "company",
            "Contact, company and budget",
            bool(
                audit.contact_email
                and audit.revenue_band
                and audit.implementation_budget
                and audit.decision_role
            ),
        ),
        Section("goal", "Metric and timeline", bool(audit.metric_to_move and audit.urgency)),
        Section(
            "crm",
            "CRM and leads",
            bool(audit.crm.strip()) and audit.monthly_lead_volume is not None,
        ),
        Section("gap", "The gap in your words", bool(audit.revenue_gap.strip())),
        Section(
            "assessment", "Assessment", all(q in audit.assessment for q in ASSESSMENT_QUESTION_IDS)
        ),
        Section("tools", "AI tools", any(t.name.strip() for t in tools)),
        Section("candidates", "Candidate workflows", any(c.is_complete for c in candidates)),
    ]


@dataclass(frozen=True)
class AuditAnalysis:
    """Figures derived from an intake: the stack summary, the candidates through the
    3-criteria filter ranked by annual human-hour cost (incomplete ones listed apart), the
    top passing candidate, and the qualification (None until its facts are filled in)."""

    stack: StackSummary
    ranked: tuple[FilterResult, ...]
    incomplete: tuple[CandidateWorkflow, ...]
    top: FilterResult | None
    qualification: Qualification | None


def audit_analysis(
    audit: Audit, tools: Iterable[AuditTool], candidates: Iterable[CandidateWorkflow]
) -> AuditAnalysis:
    """Derive the stack figures, the ranked candidates and the qualification of ``audit``."""
    candidates = list(candidates)
    stack = summarize_stack(t.as_stack_input() for t in tools if t.name.strip())
    complete = [c for c in candidates if c.is_complete]
    ranked = rank_candidates(
        [c.as_filter_input() for c in complete], loaded_hourly_rate_usd=audit.loaded_hourly_rate_usd
    )
    top = next((r for r in ranked if r.passed), None)
    qualification = None
    if audit.revenue_band and audit.implementation_budget and audit.urgency and audit.decision_role:
        qualification = qualify(
            QualificationInput(
                revenue_band=audit.revenue_band,
                implementation_budget=audit.implementation_budget,
                urgency=audit.urgency,
                crm=audit.crm,
                monthly_lead_volume=audit.monthly_lead_volume,
                decision_role=audit.decision_role,
                top_candidate=top,
                candidate_count=len(complete),
            )
        )
    return AuditAnalysis(
        stack=stack,
        ranked=ranked,
        incomplete=tuple(c for c in candidates if not c.is_complete),
        top=top,
        qualification=qualification,
    )


@dataclass(frozen=True)
class PipelineRow:
    """An audit in the consultant pipeline; ``hours_left`` is negative when overdue."""

    audit: Audit
    hours_left: float | None

    @property
    def overdue(self) -> bool:
        return self.hours_left is not None and self.hours_left < 0

    @property
    def due_soon(self) -> bool:
        return (
            self.hours_left is not None and 0 <= self.hours_left <= DUE_SOON.total_seconds() / 3600
        )

    @property
    def clock_label(self) -> str:
        if self.hours_left is None:
            return "Not submitted" if self.audit.status == Audit.Status.DRAFT else "Answered"
        hours = abs(self.hours_left)
        text = f"{int(hours)} h {int(hours * 60) % 60:02d} min"
        return f"Overdue by {text}" if self.overdue else f"{text} left"


OPEN_STATUSES = tuple(Audit.Status(s.value) for s in lifecycle.OPEN)


def consultant_audit_list(
    *, user: Any, now: datetime, status: str = "", tier: str = ""
) -> list[PipelineRow]:
    """The audits of the organizations ``user`` is consultant for (one query), open ones by
    reply clock with overdue first, then the rest newest first. ``status`` and ``tier``
    filter when they are valid choices; anything else is ignored."""
    audits: QuerySet[Audit] = Audit.objects.filter(
        organization__memberships__user=user,
        organization__memberships__role=Membership.Role.CONSULTANT,
    ).select_related("organization")
    if status in Audit.Status.values:
        audits = audits.filter(status=status)
    rows = []
    for audit in audits:
        if tier in Tier.values and audit.tier != tier:
            continue
        hours_left = None
        if audit.status in OPEN_STATUSES and audit.reply_due_at:
            hours_left = (audit.reply_due_at - now).total_seconds() / 3600
        rows.append(PipelineRow(audit=audit, hours_left=hours_left))
    rows.sort(
        key=lambda r: (
            r.hours_left is None,
            r.hours_left if r.hours_left is not None else 0,
            -r.audit.created_at.timestamp(),
        )
    )
    return rows


def audit_reply_recipient(audit: Audit) -> str:
    """Who the reply goes to by default: the contact the intake names, else the user who
    started it when that user is not the consultant (an empty string when neither)."""
    if audit.contact_email:
        return audit.contact_email
    starter = audit.created_by
    if starter is None or not starter.email:
        return ""
    consults = starter.memberships.filter(
        organization=audit.organization, role="consultant"
    ).exists()
    return "" if consults else starter.email


def audit_reply_defaults(audit: Audit, analysis: AuditAnalysis) -> dict[str, Any]:
    """The reply form's starting values: what was sent before, else the named gap from the
    top candidate, its yearly value (hours x loaded rate x 52), the qualification's
    recommendation, and the default recipient."""
    top = analysis.top
    return {
        "named_gap": audit.named_gap or (top.candidate.name if top else ""),
        "gap_value_usd": audit.gap_value_usd or (top.annual_cost_usd if top else None),
        "recommendation": audit.recommendation
        or (analysis.qualification.recommendation if analysis.qualification else ""),
        "booking_link": audit.booking_link,
        "recipient": audit.replied_to or audit_reply_recipient(audit),
    }


def intake_fragment_parts(
    audit: Audit,
    tools: list[AuditTool],
    candidates: list[CandidateWorkflow],
    *,
    base_url: str,
    can_edit: bool,
) -> tuple[str, str, str, bool]:
    """What the intake's fields and rows are drawn from, for their cached fragments
    (``core.fragments``): every stored value of the audit, its tools and its candidate
    workflows, the benchmark definition's checksum (its questions), and how the page was
    opened (the URLs the fields post to, whether they can be edited)."""
    definition_sha = definition_file_get(settings.BENCHMARK_DEFINITION)[1]
    return (rows_version(audit, tools, candidates), definition_sha, base_url, can_edit)


def audit_rows(audit: Audit) -> tuple[list[AuditTool], list[CandidateWorkflow]]:
    """The audit's AI tool inventory and candidate workflows (two queries)."""
    return list(audit.tools.all()), list(CandidateWorkflow.objects.filter(audit=audit))
