"""The firm's public benchmark link: ``/b/<firm-slug>/`` and its embed path.

The same self-score (definition, scoring, peer pool) as the plain one, under the firm's
name, logo and accent colour. The answers in progress travel in a signed token in the form
(``firms.tokens``, whose docstring says why), so both paths work without the session;
the embed path also works inside a third-party iframe, where no cookie is sent. Each POST
answers the next step's page (there is nothing to redirect to: the state is in the form);
the last one stores the response and its lead and redirects to the result.

Framing: the embed pages (and only they) replace the CSP's ``frame-ancestors 'none'`` with
the firm's listed origins and drop ``X-Frame-Options`` (``_allow_framing``). A firm with
no origins listed keeps ``'none'``: nobody can frame it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from benchmark.definition import Definition
from benchmark.forms import ProfileForm, answer_form_for
from benchmark.models import Response
from benchmark.scoring import AnswerError, answers_from_json, answers_to_json
from benchmark.selectors import definition_get_current, response_get
from core.models import Organization
from core.selectors import firm_get

from .forms import FinishForm
from .models import Lead
from .selectors import Branding, branding_get, firm_profile_get
from .services import firm_selfscore_submit
from .tokens import SelfScoreState, TokenError


def _firm_or_404(firm_slug: str) -> Organization:
    firm = firm_get(slug=firm_slug)
    if firm is None:
        raise Http404("No such firm")
    return firm


def _allow_framing(response: HttpResponse, branding: Branding) -> HttpResponse:
    """Let the firm's listed origins (only they) frame this response."""
    response._csp_replace = {  # type: ignore[attr-defined]  # read by django-csp's middleware
        "frame-ancestors": list(branding.origins) or ["'none'"]
    }
    if branding.origins:
        # XFrameOptionsMiddleware skips a response marked exempt; CSP frame-ancestors,
        # which every current browser applies first, says who may frame it.
        response.xframe_options_exempt = True
    return response


def _step_form(definition: Definition, state: SelfScoreState, data: Any = None) -> Any:
    total = len(definition.questions)
    if state.step == 0:
        return ProfileForm(data, initial=state.profile or None)
    if state.step <= total:
        question = definition.questions[state.step - 1]
        return answer_form_for(
            question, stored=state.answers.get(question.id), data=data, unknown=definition.unknown
        )
    return FinishForm(data)


@dataclass(frozen=True)
class _Page:
    """What every step of one firm's self-score renders with."""

    firm: Organization
    branding: Branding
    definition: Definition
    embed: bool


def _render_step(
    request: HttpRequest,
    page: _Page,
    state: SelfScoreState,
    *,
    form: Any = None,
    status: int = 200,
    notice: str = "",
    forget: bool = False,
) -> HttpResponse:
    """One step's page. ``forget``: the browser's saved copy of the run is dropped
    (``static/js/firm-resume.js``), for a run the server refused to go on with."""
    branding, definition, embed = page.branding, page.definition, page.embed
    total = len(definition.questions)
    if state.step > total:
        state.consent = branding.consent  # the text shown is the text stored with the lead
    question = definition.questions[state.step - 1] if 1 <= state.step <= total else None
    context = {
        "branding": branding,
        "definition": definition,
        "embed": embed,
        "base_template": "firms/embed_base.html" if embed else "firms/link_base.html",
        "action": reverse("firms:embed" if embed else "firms:link", args=[branding.slug]),
        "form": form or _step_form(definition, state),
        "token": state.dump() if state.step or state.profile else "",
        "step": state.step,
        "total": total,
        "question": question,
        "dimension": definition.dimension(question.dimension_id) if question else None,
        "percent": round(100 * min(state.step, total) / (total + 1)),
        "is_finish": state.step > total,
        "notice": notice,
        "question_count": total,
        # Where the browser keeps this run to resume it (static/js/firm-resume.js).
        "resume_key": f"selfscore:{branding.slug}:{'embed' if embed else 'link'}",
        "forget": forget,
    }
    response = render(request, "firms/selfscore.html", context, status=status)
    return _allow_framing(response, branding) if embed else response


def _selfscore(request: HttpRequest, firm_slug: str, *, embed: bool) -> HttpResponse:
    firm = _firm_or_404(firm_slug)
    definition = definition_get_current()
    page = _Page(firm=firm, branding=branding_get(firm=firm), definition=definition, embed=embed)
    fresh = SelfScoreState(firm_id=firm.pk, version=definition.version)
    if request.method == "GET":
        return _render_step(request, page, fresh)
    token = request.POST.get("state", "")
    state = fresh
    if token:
        try:
            state = SelfScoreState.load(token, firm_id=firm.pk)
        except TokenError:
            return _render_step(
                request,
                page,
                fresh,
                status=400,
                notice="This self-score was open too long, or its page was altered. "
                "Please start again.",
                forget=True,
            )
    if state.version != definition.version:
        return _render_step(
            request,
            page,
            fresh,
            notice="The benchmark was updated; please start again.",
            forget=True,
        )
    if "resume" in request.POST:
        # Back to the step the visitor left (the browser kept its last token); a run that
        # was finished already shows its result.
        lead = Lead.objects.filter(nonce=state.nonce, firm=firm).select_related("response").first()
        if lead is not None:
            return _result_redirect(page, lead.response.public_id)
        return _render_step(request, page, state)
    if "back" in request.POST:
        state.step = max(0, state.step - 1)
        return _render_step(request, page, state)

    form = _step_form(definition, state, data=request.POST)
    if not form.is_valid():
        return _render_step(request, page, state, form=form, status=422)
    total = len(definition.questions)
    if state.step == 0:
        state.profile = form.cleaned_data
    elif state.step <= total:
        question = definition.questions[state.step - 1]
        state.answers[question.id] = answers_to_json({question.id: form.answer_value()})[
            question.id
        ]
    else:
        return _finish(request, page, state, email=form.cleaned_data["email"] or "")
    state.step += 1
    return _render_step(request, page, state)


def _finish(
    request: HttpRequest, page: _Page, state: SelfScoreState, *, email: str
) -> HttpResponse:
    missing = next(
        (n for n, q in enumerate(page.definition.questions, 1) if q.id not in state.answers),
        None,
    )
    if missing is not None:
        state.step = missing
        return _render_step(request, page, state, notice=f"Question {missing} has no answer yet.")
    try:
        response = firm_selfscore_submit(
            firm=page.firm,
            state=state,
            answers=answers_from_json(state.answers),
            email=email,
            source=Lead.Source.EMBED if page.embed else Lead.Source.LINK,
            completed_at=timezone.now(),
        )
    except AnswerError as exc:
        if "answers" in exc.problems:
            # Every answer is "I don't know": keep them all and ask for one real answer.
            state.step = len(page.definition.questions)
            unknown = page.definition.unknown
            return _render_step(
                request,
                page,
                state,
                notice=f"Every answer is “{unknown.text if unknown else '?'}”: answer at least "
                "one question with what your team does to see a result.",
            )
        fresh = SelfScoreState(firm_id=page.firm.pk, version=page.definition.version)
        return _render_step(
            request,
            page,
            fresh,
            notice="Some answers could not be scored; please start again.",
            forget=True,
        )
    return _result_redirect(page, response.public_id)


def _result_redirect(page: _Page, public_id: Any) -> HttpResponse:
    if page.embed:
        return redirect("firms:embed-result", firm_slug=page.firm.slug, public_id=public_id)
    return redirect("benchmark:result", public_id=public_id)


@never_cache
@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, firm_slug: str) -> HttpResponse:
    """The firm's benchmark link: the self-score under its name (CSRF as everywhere)."""
    return _selfscore(request, firm_slug, embed=False)


@csrf_exempt  # cookies are not sent inside a third-party iframe: see firms.tokens
@never_cache
@require_http_methods(["GET", "POST"])
def embed(request: HttpRequest, firm_slug: str) -> HttpResponse:
    """The embeddable self-score: framed only by the firm's origins, state in the token.

    No cookie-based CSRF check: these POSTs use no ambient credential (no session, no
    user), and the signed token bound to the firm with its nonce is what a forger cannot
    make (``firms.tokens`` explains the reasoning)."""
    return _selfscore(request, firm_slug, embed=True)


@never_cache
@require_GET
def embed_result(request: HttpRequest, firm_slug: str, public_id: str) -> HttpResponse:
    """The result inside the firm's iframe: score, tier, widest gap and its moves, a link
    to the full result page, and a ``postMessage`` to the firm's listed origins only."""
    firm = _firm_or_404(firm_slug)
    try:
        response = response_get(public_id=public_id)
    except Response.DoesNotExist:
        raise Http404("No such result") from None
    if not Lead.objects.filter(response=response, firm=firm).exists():
        raise Http404("No such result")
    branding = branding_get(firm=firm)
    definition = definition_get_current()
    result = response.scored
    gap = definition.dimension(result.widest_gap)
    message = {
        "type": "maturity-benchmark:completed",
        "score": float(result.overall),
        "tier": result.tier,
        "widest_gap": result.widest_gap,
    }
    context = {
        "branding": branding,
        "base_template": "firms/embed_base.html",
        "response": response,
        "result": result,
        "tier": definition.tier(result.tier),
        "gap": gap,
        "result_url": reverse("benchmark:result", args=[response.public_id]),
        "message": message,
        "origins": list(branding.origins),
    }
    return _allow_framing(render(request, "firms/embed_result.html", context), branding)


@require_GET
def logo(request: HttpRequest, firm_slug: str) -> HttpResponse:
    """The firm's logo as stored (PNG or JPEG, checked by content on upload)."""
    profile = firm_profile_get(firm=_firm_or_404(firm_slug))
    if not profile.logo_content_type:
        raise Http404("No logo")
    reply = HttpResponse(bytes(profile.logo), content_type=profile.logo_content_type)
    reply["Content-Disposition"] = "inline"
    return reply
