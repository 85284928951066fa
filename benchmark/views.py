"""Views of the self-score: landing, profile, one question per page, result, email.

Each view serves the full page and, for htmx requests, the fragment it owns (django-htmx
and template partials). Every form posts to a real URL, so the flow works without
JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from core.http import HtmxHttpRequest
from core.links import absolute_url
from core.models import Membership
from core.page_cache import cached_page
from core.scoping import OrgRequest, org_view, scoped_get_or_404
from core.throttle import rate_limit
from firms.forms import AuditRequestForm, audit_consent_text
from firms.selectors import branding_get, default_firm_name, lead_firm_get
from workflows.candidates.selectors import candidates_closing_gap

from . import peers
from .definition import Definition
from .draft import SelfScoreDraft
from .forms import EmailForm, ProfileForm, answer_form_for
from .models import Response
from .result_cache import result_page_cached
from .scoring import AnswerError, answers_to_json
from .selectors import (
    dashboard_get,
    definition_for_response,
    definition_get_current,
    dimension_rows,
    membership_for_selfscore,
    peer_comparison_get,
    response_get,
    result_bars,
    result_radar,
)
from .services import (
    ResultEmailTakenError,
    response_email_save,
    response_mark_headline,
    response_submit,
)


def _draft(request: HtmxHttpRequest, definition: Definition) -> SelfScoreDraft:
    return SelfScoreDraft.load(request.session, definition.version)


@require_GET
def landing(request: HtmxHttpRequest) -> HttpResponse:
    """What the self-score is, how long it takes, and a start (or resume) button."""
    definition = definition_get_current()
    draft = _draft(request, definition)
    resume_number = draft.first_unanswered(definition) if draft.started else None
    return render(
        request,
        "benchmark/landing.html",
        {
            "definition": definition,
            "draft": draft,
            "answered": draft.answered_count(definition),
            "resume_number": resume_number,
            "question_count": len(definition.questions),
        },
    )


@require_http_methods(["GET", "POST"])
def profile(request: HtmxHttpRequest) -> HttpResponse:
    """The short company profile (not scored) that picks the peer segment."""
    definition = definition_get_current()
    draft = _draft(request, definition)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            draft.profile = form.cleaned_data
            draft.save(request.session)
            number = draft.first_unanswered(definition) or len(definition.questions)
            return redirect("benchmark:question", number=number)
    else:
        form = ProfileForm(initial=draft.profile or None)
    return render(request, "benchmark/selfscore_profile.html", {"form": form})


def _question_context(
    definition: Definition, draft: SelfScoreDraft, number: int, form: Any = None
) -> dict[str, Any]:
    question = definition.questions[number - 1]
    total = len(definition.questions)
    if form is None:
        form = answer_form_for(
            question, stored=draft.answers.get(question.id), unknown=definition.unknown
        )
    return {
        "question": question,
        "dimension": definition.dimension(question.dimension_id),
        "unknown": definition.unknown,
        "form": form,
        "number": number,
        "total": total,
        "percent": round(100 * (number - 1) / total),
        "is_last": number == total,
        "previous_url": reverse("benchmark:question", args=[number - 1])
        if number > 1
        else reverse("benchmark:profile"),
    }


def _render_question(
    request: HtmxHttpRequest, context: dict[str, Any], *, push: bool = False
) -> HttpResponse:
    template = "benchmark/selfscore_question.html"
    if request.htmx:
        response = render(request, f"{template}#question", context)
        if push:
            response["HX-Push-Url"] = reverse("benchmark:question", args=[context["number"]])
        return response
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def question(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """Question ``number`` (1..15): GET shows it with any saved answer, POST saves the answer
    and moves on; on the last question POST scores and stores the response."""
    definition = definition_get_current()
    total = len(definition.questions)
    if not 1 <= number <= total:
        raise Http404("No such question")
    draft = _draft(request, definition)
    if not draft.started:
        return redirect("benchmark:profile")
    if request.method == "GET":
        return _render_question(request, _question_context(definition, draft, number))

    this = definition.questions[number - 1]
    form = answer_form_for(this, data=request.POST, unknown=definition.unknown)
    if not form.is_valid():
        return _render_question(request, _question_context(definition, draft, number, form))
    draft.answers[this.id] = answers_to_json({this.id: form.answer_value()})[this.id]
    draft.save(request.session)

    if number < total:
        return _next(request, definition, draft, number + 1)
    missing = draft.first_unanswered(definition)
    if missing is not None:
        messages.warning(
            request, f"Question {missing} has no answer yet. Answer it to see your result."
        )
        return _next(request, definition, draft, missing)
    membership = membership_for_selfscore(request.user)
    try:
        response = response_submit(
            profile=draft.profile,
            answers=draft.scoring_answers(),
            completed_at=timezone.now(),
            organization=membership.organization if membership else None,
            respondent=request.user if membership and isinstance(request.user, User) else None,
        )
    except AnswerError as exc:
        # Reachable when every answer is "I don't know", or the session holds answers of
        # an older question set.
        if "answers" in exc.problems:
            form.add_error(
                None,
                f"Every answer is “{definition.unknown.text if definition.unknown else '?'}”: "
                "answer at least one question with what your team does to see a result.",
            )
        else:
            form.add_error(None, "Some answers could not be scored: " + str(exc))
        return _render_question(request, _question_context(definition, draft, number, form))
    SelfScoreDraft.clear(request.session)
    url = reverse("benchmark:result", kwargs={"public_id": response.public_id})
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _next(
    request: HtmxHttpRequest, definition: Definition, draft: SelfScoreDraft, number: int
) -> HttpResponse:
    if request.htmx:
        return _render_question(request, _question_context(definition, draft, number), push=True)
    return redirect("benchmark:question", number=number)


def result_context(
    response: Response,
    email_form: EmailForm | None = None,
    audit_form: AuditRequestForm | None = None,
) -> dict[str, Any]:
    """The result page's context; ``email_form`` / ``audit_form`` bound with errors when
    re-shown after a refused POST (everything entered stays)."""
    # The firm whose link the result came through brands the page and receives the audit
    # request; the default firm otherwise.
    lead_firm = lead_firm_get(response=response)
    audit_firm_name = lead_firm.name if lead_firm else default_firm_name()
    definition = definition_for_response(response)
    result = response.scored
    comparison = peer_comparison_get(response=response, definition=definition)
    rows = dimension_rows(result=result, definition=definition, comparison=comparison)
    chart = result_radar(rows, comparison)
    chart_phone = result_bars(rows, comparison)
    gap = definition.dimension(result.widest_gap)
    return {
        "response": response,
        "definition": definition,
        "tier": definition.tier(result.tier),
        "tiers": definition.tiers,
        "result": result,
        "rows": rows,
        "comparison": comparison,
        "overall_peers": comparison.metrics["overall"],
        "gap": gap,
        "gap_weight": round(result.weight(gap.id, gap.weight), 1),
        "gap_band": next(b for b in definition.bands if b.id == result.band),
        "chart": chart,
        "chart_phone": chart_phone,
        # The email is the respondent's: once given, the form is gone and it is never shown.
        "email_form": None if response.email else (email_form or EmailForm()),
        "is_demo_group": comparison.kind == peers.PeerGroupKind.DEMO,
        # "I don't know" (issue 15): which dimensions rest on fewer answers, or on none.
        "fewer_rows": [r for r in rows if r.rests_on_fewer and r.is_scored],
        "unscored_rows": [r for r in rows if not r.is_scored],
        "gate_unanswered": definition.ahead_gate.dimension_id in result.unscored,
        "gate_label": definition.dimension(definition.ahead_gate.dimension_id).label,
        "branding": branding_get(firm=lead_firm) if lead_firm else None,
        "audit_form": audit_form or AuditRequestForm(),
        "audit_firm_name": audit_firm_name,
        "audit_consent": audit_consent_text(audit_firm_name),
    }


def _response_or_404(public_id: str) -> Response:
    try:
        return response_get(public_id=public_id)
    except Response.DoesNotExist:
        raise Http404("No such result") from None


def _result_page_context(request: HtmxHttpRequest, public_id: str) -> dict[str, Any]:
    response = _response_or_404(public_id)
    context = result_context(response)
    context["result_url"] = absolute_url(request.path)  # SITE_URL, never the Host header
    # A signed-in member of the response's organization gets the way back to its dashboard.
    org = response.organization
    if org is not None and request.user.is_authenticated:
        is_member = Membership.objects.filter(user=request.user, organization=org).exists()
        context["dashboard_org"] = org if is_member else None
    return context


@cached_page
@require_GET
def result(request: HtmxHttpRequest, public_id: str) -> HttpResponse:
    """The scored result at its unguessable URL.

    A visitor who is not signed in and has no message waiting sees what everyone with
    the link sees: the page comes from the cache with this request's CSRF token put in
    (``benchmark.result_cache``). Anyone else gets it drawn for them.
    """
    if request.user.is_authenticated or len(messages.get_messages(request)):
        return render(
            request,
            "benchmark/response_result.html",
            _result_page_context(request, public_id=public_id),
        )

    def draw(csrf_placeholder: str) -> str:
        context = _result_page_context(request, public_id=public_id)
        return render_to_string(
            "benchmark/response_result.html",
            {**context, "csrf_token": csrf_placeholder},
            request=request,
        )

    pieces = result_page_cached(public_id=str(public_id), draw=draw)
    return HttpResponse(get_token(request).join(pieces))


@require_POST
@rate_limit(group="result-email", rate_setting="RATELIMIT_RESULT_EMAIL")
def result_email(request: HtmxHttpRequest, public_id: str) -> HttpResponse:
    """Take the respondent's email, once, and send it the link. A result that has one
    already answers 409 and sends nothing; the address is never shown back."""
    response = _response_or_404(public_id)
    form = EmailForm(request.POST)
    saved = False
    if not response.email and form.is_valid():
        try:
            response_email_save(response=response, email=form.cleaned_data["email"])
            saved = True
        except ResultEmailTakenError:  # set by another request a moment ago
            response.refresh_from_db()
    taken = bool(response.email) and not saved
    status = 409 if taken else 200
    if request.htmx:
        context = {
            "response": response,
            "email_form": None if response.email else form,
            "email_saved": saved,
        }
        return render(request, "benchmark/response_result.html#email-save", context, status=status)
    if saved:
        messages.success(request, "Saved. We sent the link to the address you gave.")
        return redirect("benchmark:result", public_id=response.public_id)
    return render(
        request,
        "benchmark/response_result.html",
        result_context(response, email_form=form),
        status=status,
    )


@cached_page
@require_GET
@org_view()
def dashboard(request: OrgRequest) -> HttpResponse:
    """The organization's score and tier, its widest gap with the candidate workflows that
    would close it, the spread across members, and retakes."""
    board = dashboard_get(organization=request.organization)
    gap = None
    if board.score is not None:
        result = board.score.response.scored
        definition = definition_for_response(board.score.response)
        gap = {
            "dimension": definition.dimension(result.widest_gap),
            "candidates": candidates_closing_gap(
                organization=request.organization, gap=result.widest_gap
            ),
        }
    return render(
        request, "benchmark/organization_dashboard.html", {"dashboard": board, "gap": gap}
    )


@require_POST
@org_view()
def headline(request: OrgRequest, response_id: int) -> HttpResponse:
    """A client admin marks a member's response as the organization's score. The response
    is looked up first, so another organization's id answers 404 whatever the role."""
    response = scoped_get_or_404(
        Response.objects.select_related("respondent"), request, pk=response_id
    )
    if request.membership.role != Membership.Role.CLIENT_ADMIN:
        raise PermissionDenied("Only a client admin marks the organization's score.")
    response_mark_headline(response=response, marked_by=request.user)
    respondent = response.respondent
    who = (respondent.get_full_name() or respondent.email) if respondent else "A former member"
    messages.success(request, f"{who}'s response is now the organization's score.")
    return redirect("benchmark:dashboard", org_slug=request.organization.slug)
