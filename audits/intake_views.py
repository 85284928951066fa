"""Views of the Revenue Audit intake (with per-field autosave), served twice: to members
under ``/orgs/<org>/audits/<id>/`` and to clients holding the audit's share link under
``/audit/<token>/``. Both run these functions with an ``IntakeAccess`` (``audits.access``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.forms import ModelForm
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.fragments import fragment
from core.http import HtmxHttpRequest
from core.links import absolute_url
from workflows.candidates.forms import CandidateWorkflowForm
from workflows.models import CandidateWorkflow

from .access import IntakeAccess, require_editable
from .forms import AssessmentForm, AuditIntakeForm, AuditToolForm
from .models import AuditTool
from .selectors import (
    assessment_questions,
    assessment_unknown,
    audit_analysis,
    audit_rows,
    intake_fragment_parts,
    intake_sections,
)
from .services import (
    AuditIncompleteError,
    AuditLockedError,
    audit_assessment_save,
    audit_candidate_add,
    audit_candidate_delete,
    audit_candidate_update,
    audit_submit,
    audit_tool_add,
    audit_tool_delete,
    audit_tool_update,
    audit_update,
)

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
    tools, candidates = audit_rows(audit)
    questions = assessment_questions()
    tool_forms = tool_forms or {}
    candidate_forms = candidate_forms or {}
    sections = intake_sections(audit, tools, candidates)
    base, edit = access.base_url, access.can_edit
    bound = form is not None or assessment is not None or bool(tool_forms or candidate_forms)
    return {
        "access": access,
        "audit": audit,
        "form": _wire(form or AuditIntakeForm(instance=audit), base + "field/", edit),
        "assessment": _wire(
            assessment
            or AssessmentForm(
                initial={f"q_{k}": v for k, v in audit.assessment.items()},
                questions=questions,
                unknown=assessment_unknown(),
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
        # The fields and rows as drawn, cached per version of the rows (core.fragments);
        # forms bound to a POST show what was typed and its errors, so they are never kept.
        "fragment": fragment(
            intake_fragment_parts(audit, tools, candidates, base_url=base, can_edit=edit),
            bound=bound,
        ),
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
    request: HtmxHttpRequest, access: IntakeAccess, status: int = 200, **kwargs: Any
) -> HttpResponse:
    return render(
        request, "audits/audit_intake.html", _intake_context(access, **kwargs), status=status
    )


def _bind(form_class: type[ModelForm], data: Any, row: Any, **kwargs: Any) -> ModelForm:
    """Bind ``form_class`` to a copy of ``row``: ModelForm validation writes the typed values
    onto its instance, and an invalid value must never reach the row we save or analyse."""
    return form_class(data, instance=copy.copy(row), **kwargs)


def _valid_values(form: ModelForm, names: Iterable[str] | None = None) -> dict[str, Any]:
    """The fields of ``form`` that validated (of ``names``, default all) with their cleaned
    values; invalid ones keep their error and the value typed."""
    form.is_valid()
    return {
        name: form.cleaned_data[name]
        for name in (names if names is not None else form.fields)
        if name not in form.errors and name in form.cleaned_data
    }


def _autosave_response(
    request: HtmxHttpRequest, access: IntakeAccess, status_id: str, error: str
) -> HttpResponse:
    context = _intake_context(access)
    context.update({"status_id": status_id, "error": error})
    return render(request, "audits/audit_autosave.html", context)


@require_http_methods(["GET", "POST"])
def intake(request: HtmxHttpRequest, access: IntakeAccess) -> HttpResponse:
    """The whole intake. POST (the no-JavaScript path) saves every valid field and row at
    once and shows the invalid ones with their errors and the values typed."""
    if request.method == "GET":
        return _render_intake(request, access)
    require_editable(access)
    audit = access.audit
    form = _bind(AuditIntakeForm, request.POST, audit)
    audit_update(audit=audit, values=_valid_values(form))
    assessment = AssessmentForm(
        request.POST, questions=assessment_questions(), unknown=assessment_unknown()
    )
    if assessment.is_valid():
        audit_assessment_save(audit=audit, answers=assessment.answers())
    tools, candidates = audit_rows(audit)
    tool_forms = {t.pk: _bind(AuditToolForm, request.POST, t, prefix=f"tool-{t.pk}") for t in tools}
    candidate_forms = {
        c.pk: _bind(CandidateWorkflowForm, request.POST, c, prefix=f"candidate-{c.pk}")
        for c in candidates
    }
    for tool in tools:
        if _posted(request, tool_forms[tool.pk]):
            audit_tool_update(tool=tool, values=_valid_values(tool_forms[tool.pk]))
    for candidate in candidates:
        if _posted(request, candidate_forms[candidate.pk]):
            audit_candidate_update(
                candidate=candidate, values=_valid_values(candidate_forms[candidate.pk])
            )
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


def _error(form: forms.BaseForm, name: str) -> str:
    """The field's errors as one line ("" when it is valid)."""
    return "; ".join(str(e) for e in form.errors.get(name, []))


def _posted(request: HtmxHttpRequest, form: ModelForm) -> bool:
    """Whether the POST carries any field of the row ``form`` stands for."""
    return any(key.startswith(f"{form.prefix}-") for key in request.POST)


@require_POST
def intake_field(request: HtmxHttpRequest, access: IntakeAccess) -> HttpResponse:
    """Autosave the one field named by htmx's ``HX-Trigger-Name`` (intake or assessment)."""
    require_editable(access)
    name = request.headers.get("HX-Trigger-Name", "")
    audit = access.audit
    if name.startswith("q_"):
        form = AssessmentForm(
            request.POST, questions=assessment_questions(), unknown=assessment_unknown()
        )
        if name not in form.fields:
            raise BadRequest("Unknown question")
        form.is_valid()
        error = _error(form, name)
        if not error and form.cleaned_data.get(name) not in (None, ""):
            audit_assessment_save(audit=audit, answers={name[2:]: form.cleaned_data[name]})
        return _autosave_response(request, access, f"status-{name}", error)
    if name not in AuditIntakeForm.Meta.fields:
        raise BadRequest("Unknown field")
    intake_form = _bind(AuditIntakeForm, request.POST, audit)
    audit_update(audit=audit, values=_valid_values(intake_form, [name]))
    error = _error(intake_form, name)
    return _autosave_response(request, access, f"status-{name}", error)


def _row_field(request: HtmxHttpRequest, form_class: type[ModelForm[Any]], prefix: str) -> str:
    """The one field of a row that htmx's ``HX-Trigger-Name`` names (400 for any other)."""
    name = request.headers.get("HX-Trigger-Name", "")
    field = name.removeprefix(prefix + "-")
    if not name.startswith(prefix + "-") or field not in (form_class._meta.fields or ()):
        raise BadRequest("Unknown field")
    return field


@require_POST
def tool_save(request: HtmxHttpRequest, access: IntakeAccess, row_id: int) -> HttpResponse:
    require_editable(access)
    tool = get_object_or_404(AuditTool, audit=access.audit, pk=row_id)
    prefix = f"tool-{tool.pk}"
    field = _row_field(request, AuditToolForm, prefix)
    form = _bind(AuditToolForm, request.POST, tool, prefix=prefix)
    audit_tool_update(tool=tool, values=_valid_values(form, [field]))
    return _autosave_response(request, access, f"status-{prefix}", _error(form, field))


@require_POST
def candidate_save(request: HtmxHttpRequest, access: IntakeAccess, row_id: int) -> HttpResponse:
    require_editable(access)
    candidate = get_object_or_404(CandidateWorkflow, audit=access.audit, pk=row_id)
    prefix = f"candidate-{candidate.pk}"
    field = _row_field(request, CandidateWorkflowForm, prefix)
    form = _bind(CandidateWorkflowForm, request.POST, candidate, prefix=prefix)
    audit_candidate_update(candidate=candidate, values=_valid_values(form, [field]))
    return _autosave_response(request, access, f"status-{prefix}", _error(form, field))


def _after_row_change(
    request: HtmxHttpRequest, access: IntakeAccess, anchor: str, focus: str = ""
) -> HttpResponse:
    """The rows again; with htmx, ``focus`` names the element app.js focuses (the new
    row's first field, or the section's heading after a removal)."""
    if request.htmx:
        context = {**_intake_context(access), "focus": focus}
        return render(request, "audits/audit_rows.html", context)
    return redirect(access.base_url + anchor)


@require_POST
def tool_add(request: HtmxHttpRequest, access: IntakeAccess) -> HttpResponse:
    require_editable(access)
    tool = audit_tool_add(audit=access.audit)
    return _after_row_change(request, access, "#tools", f"id_tool-{tool.pk}-name")


@require_POST
def tool_delete(request: HtmxHttpRequest, access: IntakeAccess, row_id: int) -> HttpResponse:
    require_editable(access)
    audit_tool_delete(tool=get_object_or_404(AuditTool, audit=access.audit, pk=row_id))
    return _after_row_change(request, access, "#tools", "tools-title")


@require_POST
def candidate_add(request: HtmxHttpRequest, access: IntakeAccess) -> HttpResponse:
    require_editable(access)
    candidate = audit_candidate_add(audit=access.audit)
    return _after_row_change(request, access, "#candidates", f"id_candidate-{candidate.pk}-name")


@require_POST
def candidate_delete(request: HtmxHttpRequest, access: IntakeAccess, row_id: int) -> HttpResponse:
    require_editable(access)
    audit_candidate_delete(
        candidate=get_object_or_404(CandidateWorkflow, audit=access.audit, pk=row_id)
    )
    return _after_row_change(request, access, "#candidates", "candidates-title")


@require_POST
def submit(request: HtmxHttpRequest, access: IntakeAccess) -> HttpResponse:
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
