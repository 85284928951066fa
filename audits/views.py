"""Views of the Revenue Audit: list, intake (with per-field autosave), review, pipeline.

The intake is served twice: to members under ``/orgs/<org>/audits/<id>/`` (through
``org_view``, the one scoping mechanism) and to clients holding the audit's share link under
``/audit/<token>/``. Both run the same view functions with an ``IntakeAccess``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.links import absolute_url
from core.models import Membership
from core.scoping import OrgRequest, org_view, scoped_get_or_404
from core.throttle import rate_limit
from workflows.forms import CandidateWorkflowForm
from workflows.models import CandidateWorkflow

from . import lifecycle
from .forms import (
    AssessmentForm,
    AuditIntakeForm,
    AuditToolForm,
    ReplyForm,
    StatusForm,
    TierOverrideForm,
)
from .models import Audit, AuditTool, Tier
from .selectors import assessment_questions, audit_analysis, consultant_audit_list, intake_sections
from .services import (
    AuditIncompleteError,
    AuditLockedError,
    audit_candidate_add,
    audit_create,
    audit_reply_recipient,
    audit_reply_send,
    audit_status_set,
    audit_submit,
    audit_tier_override,
    audit_tool_add,
)

CONSULTANT = [Membership.Role.CONSULTANT]


@dataclass(frozen=True)
class IntakeAccess:
    """Who opened the intake and how: ``base_url`` ends with a slash, endpoints append."""

    audit: Audit
    base_url: str
    is_consultant: bool
    via_link: bool

    @property
    def can_edit(self) -> bool:
        return lifecycle.can_edit(self.audit.status, is_consultant=self.is_consultant)


IntakeView = Callable[..., HttpResponse]


def org_intake(view: IntakeView) -> IntakeView:
    """Serve ``view`` to members of the audit's organization (404 for anyone else)."""

    @org_view()
    @wraps(view)
    def wrapped(request: OrgRequest, audit_id: int, **kwargs: Any) -> HttpResponse:
        audit = scoped_get_or_404(
            Audit.objects.select_related("organization"), request, pk=audit_id
        )
        access = IntakeAccess(
            audit=audit,
            base_url=reverse("audits:intake", args=[audit.organization.slug, audit.pk]),
            is_consultant=request.membership.is_consultant,
            via_link=False,
        )
        return view(request, access, **kwargs)

    return wrapped


def link_intake(view: IntakeView) -> IntakeView:
    """Serve ``view`` to whoever holds the audit's share link (the token is the credential).
    Its writes (each autosaved field, each row added) are limited per client address."""

    @rate_limit(group="share-link-write", rate_setting="RATELIMIT_SHARE_LINK_WRITES")
    @wraps(view)
    def wrapped(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponse:
        audit = get_object_or_404(Audit.objects.select_related("organization"), share_token=token)
        access = IntakeAccess(
            audit=audit,
            base_url=reverse("audits:link-intake", args=[token]),
            is_consultant=False,
            via_link=True,
        )
        return view(request, access, **kwargs)

    return wrapped


TEXT_TRIGGER = "change, input changed delay:800ms"


def _wire(form: Any, url: str, enabled: bool) -> Any:
    """Give every input of ``form`` its htmx autosave attributes (or disable it)."""
    for name, field in form.fields.items():
        attrs = field.widget.attrs
        if not enabled:
            attrs["disabled"] = True
            continue
        typed = isinstance(field.widget, forms.TextInput | forms.Textarea | forms.NumberInput)
        attrs.update(
            {
                "hx-post": url,
                "hx-trigger": TEXT_TRIGGER if typed else "change",
                "hx-swap": "none",
                # One save at a time per form, so an older response never overwrites the
                # derived panel computed by a newer one.
                "hx-sync": "closest form:queue all",
                "aria-describedby": f"status-{form.prefix or name}",
            }
        )
    return form


def _rows(audit: Audit) -> tuple[list[AuditTool], list[CandidateWorkflow]]:
    return list(audit.tools.all()), list(CandidateWorkflow.objects.filter(audit=audit))


def _intake_context(
    access: IntakeAccess,
    *,
    form: AuditIntakeForm | None = None,
    assessment: AssessmentForm | None = None,
    tool_forms: dict[int, AuditToolForm] | None = None,
    candidate_forms: dict[int, CandidateWorkflowForm] | None = None,
    submit_errors: list[str] | None = None,
) -> dict[str, Any]:
    audit = access.audit
    tools, candidates = _rows(audit)
    questions = assessment_questions()
    tool_forms = tool_forms or {}
    candidate_forms = candidate_forms or {}
    sections = intake_sections(audit, tools, candidates)
    base, edit = access.base_url, access.can_edit
    return {
        "access": access,
        "audit": audit,
        "form": _wire(form or AuditIntakeForm(instance=audit), base + "field/", edit),
        "assessment": _wire(
            assessment
            or AssessmentForm(
                initial={f"q_{k}": v for k, v in audit.assessment.items()}, questions=questions
            ),
            base + "field/",
            edit,
        ),
        "tool_rows": [
            (
                t,
                _wire(
                    tool_forms.get(t.pk) or AuditToolForm(instance=t, prefix=f"tool-{t.pk}"),
                    f"{base}tools/{t.pk}/",
                    edit,
                ),
            )
            for t in tools
        ],
        "candidate_rows": [
            (
                c,
                _wire(
                    candidate_forms.get(c.pk)
                    or CandidateWorkflowForm(instance=c, prefix=f"candidate-{c.pk}"),
                    f"{base}candidates/{c.pk}/",
                    edit,
                ),
            )
            for c in candidates
        ],
        "analysis": audit_analysis(audit, tools, candidates),
        "sections": sections,
        "sections_done": sum(s.done for s in sections),
        "submit_errors": submit_errors or [],
        # The consultant lands here: the client's link is offered where it is needed.
        "share_url": (
            absolute_url(reverse("audits:link-intake", args=[audit.share_token]))
            if access.is_consultant and not access.via_link
            else ""
        ),
    }


def _render_intake(
    request: HttpRequest, access: IntakeAccess, status: int = 200, **kwargs: Any
) -> HttpResponse:
    return render(
        request, "audits/audit_intake.html", _intake_context(access, **kwargs), status=status
    )


def _require_editable(access: IntakeAccess) -> None:
    if not access.can_edit:
        raise PermissionDenied("This audit was submitted; it can no longer be edited here.")


def _bind(form_class: type[ModelForm], data: Any, row: Any, **kwargs: Any) -> ModelForm:
    """Bind ``form_class`` to a copy of ``row``: ModelForm validation writes the typed values
    onto its instance, and an invalid value must never reach the row we save or analyse."""
    return form_class(data, instance=copy.copy(row), **kwargs)


def _save_valid_fields(form: ModelForm, row: Any, names: Iterable[str] | None = None) -> list[str]:
    """Copy the fields of ``form`` that validated (of ``names``, default all) onto ``row``
    and save just those; invalid ones keep their error and the value typed."""
    form.is_valid()
    good = [
        name
        for name in (names if names is not None else form.fields)
        if name not in form.errors and name in form.cleaned_data
    ]
    for name in good:
        setattr(row, name, form.cleaned_data[name])
    if good:
        row.save(update_fields=[*good, "updated_at"])
    return good


def _autosave_response(
    request: HttpRequest, access: IntakeAccess, status_id: str, error: str
) -> HttpResponse:
    context = _intake_context(access)
    context.update({"status_id": status_id, "error": error})
    return render(request, "audits/audit_autosave.html", context)


@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest, access: IntakeAccess) -> HttpResponse:
    """The whole intake. POST (the no-JavaScript path) saves every valid field and row at
    once and shows the invalid ones with their errors and the values typed."""
    if request.method == "GET":
        return _render_intake(request, access)
    _require_editable(access)
    audit = access.audit
    form = _bind(AuditIntakeForm, request.POST, audit)
    _save_valid_fields(form, audit)
    assessment = AssessmentForm(request.POST, questions=assessment_questions())
    if assessment.is_valid():
        audit.assessment = {**audit.assessment, **assessment.answers()}
        audit.save(update_fields=["assessment", "updated_at"])
    tools, candidates = _rows(audit)
    tool_forms = {t.pk: _bind(AuditToolForm, request.POST, t, prefix=f"tool-{t.pk}") for t in tools}
    candidate_forms = {
        c.pk: _bind(CandidateWorkflowForm, request.POST, c, prefix=f"candidate-{c.pk}")
        for c in candidates
    }
    for row in [*tools, *candidates]:
        row_form = (
            tool_forms.get(row.pk) if isinstance(row, AuditTool) else candidate_forms.get(row.pk)
        )
        if any(key.startswith(row_form.prefix + "-") for key in request.POST):
            _save_valid_fields(row_form, row)
    failed = (
        form.errors
        or assessment.errors
        or any(f.errors for f in [*tool_forms.values(), *candidate_forms.values()])
    )
    if failed:
        return _render_intake(
            request,
            access,
            status=422,
            form=form,
            assessment=assessment,
            tool_forms=tool_forms,
            candidate_forms=candidate_forms,
        )
    messages.success(request, "Saved.")
    return redirect(access.base_url)


@require_POST
def intake_field(request: HttpRequest, access: IntakeAccess) -> HttpResponse:
    """Autosave the one field named by htmx's ``HX-Trigger-Name`` (intake or assessment)."""
    _require_editable(access)
    name = request.headers.get("HX-Trigger-Name", "")
    audit = access.audit
    if name.startswith("q_"):
        form = AssessmentForm(request.POST, questions=assessment_questions())
        if name not in form.fields:
            raise BadRequest("Unknown question")
        form.is_valid()
        error = "; ".join(form.errors.get(name, []))
        if not error and form.cleaned_data.get(name) not in (None, ""):
            audit.assessment = {**audit.assessment, name[2:]: form.cleaned_data[name]}
            audit.save(update_fields=["assessment", "updated_at"])
        return _autosave_response(request, access, f"status-{name}", error)
    if name not in AuditIntakeForm.Meta.fields:
        raise BadRequest("Unknown field")
    form = _bind(AuditIntakeForm, request.POST, audit)
    _save_valid_fields(form, audit, [name])
    error = "; ".join(form.errors.get(name, []))
    return _autosave_response(request, access, f"status-{name}", error)


def _row_autosave(
    request: HttpRequest, access: IntakeAccess, row: Any, form_class: type, prefix: str
) -> HttpResponse:
    _require_editable(access)
    name = request.headers.get("HX-Trigger-Name", "")
    field = name.removeprefix(prefix + "-")
    if not name.startswith(prefix + "-") or field not in form_class.Meta.fields:
        raise BadRequest("Unknown field")
    form = _bind(form_class, request.POST, row, prefix=prefix)
    _save_valid_fields(form, row, [field])
    error = "; ".join(form.errors.get(field, []))
    return _autosave_response(request, access, f"status-{prefix}", error)


@require_POST
def tool_save(request: HttpRequest, access: IntakeAccess, row_id: int) -> HttpResponse:
    row = get_object_or_404(AuditTool, audit=access.audit, pk=row_id)
    return _row_autosave(request, access, row, AuditToolForm, f"tool-{row.pk}")


@require_POST
def candidate_save(request: HttpRequest, access: IntakeAccess, row_id: int) -> HttpResponse:
    row = get_object_or_404(CandidateWorkflow, audit=access.audit, pk=row_id)
    return _row_autosave(request, access, row, CandidateWorkflowForm, f"candidate-{row.pk}")


def _after_row_change(
    request: HttpRequest, access: IntakeAccess, anchor: str, focus: str = ""
) -> HttpResponse:
    """The rows again; with htmx, ``focus`` names the element app.js focuses (the new
    row's first field, or the section's heading after a removal)."""
    if request.htmx:
        context = {**_intake_context(access), "focus": focus}
        return render(request, "audits/audit_rows.html", context)
    return redirect(access.base_url + anchor)


@require_POST
def tool_add(request: HttpRequest, access: IntakeAccess) -> HttpResponse:
    _require_editable(access)
    tool = audit_tool_add(audit=access.audit)
    return _after_row_change(request, access, "#tools", f"id_tool-{tool.pk}-name")


@require_POST
def tool_delete(request: HttpRequest, access: IntakeAccess, row_id: int) -> HttpResponse:
    _require_editable(access)
    get_object_or_404(AuditTool, audit=access.audit, pk=row_id).delete()
    return _after_row_change(request, access, "#tools", "tools-title")


@require_POST
def candidate_add(request: HttpRequest, access: IntakeAccess) -> HttpResponse:
    _require_editable(access)
    candidate = audit_candidate_add(audit=access.audit)
    return _after_row_change(request, access, "#candidates", f"id_candidate-{candidate.pk}-name")


@require_POST
def candidate_delete(request: HttpRequest, access: IntakeAccess, row_id: int) -> HttpResponse:
    _require_editable(access)
    get_object_or_404(CandidateWorkflow, audit=access.audit, pk=row_id).delete()
    return _after_row_change(request, access, "#candidates", "candidates-title")


@require_POST
def submit(request: HttpRequest, access: IntakeAccess) -> HttpResponse:
    """Submit the intake for review; incomplete sections are named and nothing is lost."""
    try:
        audit_submit(audit=access.audit, now=timezone.now())
    except AuditIncompleteError as exc:
        return _render_intake(request, access, status=422, submit_errors=exc.missing)
    except AuditLockedError:
        messages.info(request, "This audit was submitted already.")
        return redirect(access.base_url)
    messages.success(
        request,
        "Submitted. A consultant replies within 24 hours with the gap worth the most to you.",
    )
    return redirect(access.base_url)


@require_http_methods(["GET", "POST"])
@org_view()
def audit_list(request: OrgRequest) -> HttpResponse:
    """The organization's audits; POST starts a new draft."""
    if request.method == "POST":
        audit = audit_create(organization=request.organization, created_by=request.user)
        return redirect("audits:intake", org_slug=request.organization.slug, audit_id=audit.pk)
    audits = Audit.objects.for_organization(request.organization)
    return render(request, "audits/audit_list.html", {"audits": audits})


@require_http_methods(["GET", "POST"])
@org_view(roles=CONSULTANT)
def review(request: OrgRequest, audit_id: int) -> HttpResponse:
    """The consultant's review: qualification with reasons, override, status and the reply."""
    audit = scoped_get_or_404(Audit.objects.select_related("organization"), request, pk=audit_id)
    tools, candidates = _rows(audit)
    analysis = audit_analysis(audit, tools, candidates)
    action = request.POST.get("action", "")
    override_form = TierOverrideForm(
        request.POST if action == "override" else None,
        initial={"tier": audit.tier_override, "reason": audit.override_reason},
    )
    status_form = StatusForm(request.POST if action == "status" else None, current=audit.status)
    top = analysis.top
    reply_form = ReplyForm(
        request.POST if action == "reply" else None,
        tier=audit.tier,
        initial={
            "named_gap": audit.named_gap or (top.candidate.name if top else ""),
            "gap_value_usd": audit.gap_value_usd or (top.annual_cost_usd if top else None),
            "recommendation": audit.recommendation
            or (analysis.qualification.recommendation if analysis.qualification else ""),
            "booking_link": audit.booking_link,
            "recipient": audit.replied_to or audit_reply_recipient(audit),
        },
    )
    if action == "override" and override_form.is_valid():
        audit_tier_override(
            audit=audit,
            tier=override_form.cleaned_data["tier"],
            reason=override_form.cleaned_data["reason"],
        )
        messages.success(request, "Tier saved.")
        return redirect("audits:review", org_slug=request.organization.slug, audit_id=audit.pk)
    if action == "status" and status_form.is_valid():
        audit_status_set(audit=audit, status=status_form.cleaned_data["status"])  # form allows it
        messages.success(request, "Status saved.")
        return redirect("audits:review", org_slug=request.organization.slug, audit_id=audit.pk)
    if action == "reply" and reply_form.is_valid():
        try:
            audit_reply_send(
                audit=audit, replied_by=request.user, now=timezone.now(), **reply_form.cleaned_data
            )
        except lifecycle.TransitionError as error:
            reply_form.add_error(None, str(error))
        else:
            messages.success(request, f"Reply sent to {reply_form.cleaned_data['recipient']}.")
            return redirect("audits:review", org_slug=request.organization.slug, audit_id=audit.pk)
    if request.method == "POST" and action not in ("override", "status", "reply"):
        raise BadRequest("Unknown action")
    context = {
        "audit": audit,
        "analysis": analysis,
        "computed_label": Tier(analysis.qualification.tier).label if analysis.qualification else "",
        "tools": tools,
        "override_form": override_form,
        "status_form": status_form,
        "reply_form": reply_form,
        "can_reply": audit.status in lifecycle.REPLY_FROM,
        "share_url": absolute_url(reverse("audits:link-intake", args=[audit.share_token])),
    }
    return render(
        request,
        "audits/audit_review.html",
        context,
        status=422 if request.method == "POST" else 200,
    )


@require_GET
@login_required
def pipeline(request: HttpRequest) -> HttpResponse:
    """The consultant's audits across assigned clients, overdue first; filterable."""
    status = request.GET.get("status", "")
    tier = request.GET.get("tier", "")
    rows = consultant_audit_list(user=request.user, now=timezone.now(), status=status, tier=tier)
    clients = Membership.objects.filter(
        user=request.user, role=Membership.Role.CONSULTANT
    ).select_related("organization")
    return render(
        request,
        "audits/audit_pipeline.html",
        {
            "rows": rows,
            "clients": clients,
            "status": status if status in Audit.Status.values else "",
            "tier": tier if tier in Tier.values else "",
            "statuses": Audit.Status.choices,
            "tiers": Tier.choices,
        },
    )
