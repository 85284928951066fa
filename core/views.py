"""Home, members and invitations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from .forms import InvitationForm, InvitationSignupForm
from .http import SignedInRequest
from .models import Invitation, Membership
from .scoping import OrgRequest, org_view
from .selectors import member_list
from .services import InvitationError, invitation_accept, invitation_create, invitation_get


@require_GET
@login_required
def home(request: SignedInRequest) -> HttpResponse:
    """Where a signed-in user lands: their organizations (consultants see all assigned)."""
    memberships = list(Membership.objects.filter(user=request.user).select_related("organization"))
    only = memberships[0] if len(memberships) == 1 else None
    if only is not None and not only.is_consultant and not only.organization.is_firm:
        return redirect("benchmark:dashboard", org_slug=only.organization.slug)
    return render(request, "core/home.html", {"memberships": memberships})


@require_http_methods(["GET", "POST"])
@org_view(kinds=None)  # a firm's consultants are its members too
def members(request: OrgRequest) -> HttpResponse:
    """The organization's members and open invitations; managers invite from here."""
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not request.membership.can_manage:
            raise PermissionDenied("Only consultants and client admins invite people.")
        if form.is_valid():
            invitation_create(
                organization=request.organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
                now=timezone.now(),
            )
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect("core:members", org_slug=request.organization.slug)
    context = {
        "members": member_list(organization=request.organization),
        "invitations": Invitation.objects.filter(
            organization=request.organization,
            accepted_at__isnull=True,
            expires_at__gt=timezone.now(),
        ),
        "form": form,
    }
    return render(request, "core/members.html", context)


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: signed in with the invited email, or by creating an account."""
    now = timezone.now()
    try:
        invitation = invitation_get(token=token, now=now)
    except InvitationError as exc:
        return render(request, "core/invitation_invalid.html", {"reason": exc.reason}, status=410)
    user = request.user if request.user.is_authenticated else None
    form = None if user else InvitationSignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            membership = invitation_accept(
                token=token,
                user=user,
                now=now,
                password=form.cleaned_data["password"] if form else "",
                full_name=form.cleaned_data["full_name"] if form else "",
            )
        except InvitationError as exc:
            return render(
                request, "core/invitation_invalid.html", {"reason": exc.reason}, status=403
            )
        if user is None:
            login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to {membership.organization.name}.")
        return redirect("benchmark:dashboard", org_slug=membership.organization.slug)
    return render(request, "core/invitation_accept.html", {"invitation": invitation, "form": form})
