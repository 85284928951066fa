"""Invitations: emailed, work once, expire, and only for the invited email."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.models import Invitation, Membership
from core.services import InvitationError, invitation_accept, invitation_create
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_membership():
    return MembershipFactory(role=Membership.Role.CLIENT_ADMIN)


def invite(admin_membership, email="new.person@example.com", now=None):
    return invitation_create(
        organization=admin_membership.organization,
        email=email,
        role=Membership.Role.MEMBER,
        invited_by=admin_membership.user,
        now=now or timezone.now(),
    )


def test_an_admin_invites_by_email_and_the_link_is_sent(
    client, admin_membership, django_capture_on_commit_callbacks
):
    client.force_login(admin_membership.user)
    url = f"/orgs/{admin_membership.organization.slug}/members/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "Cfo@Example.com", "role": "member"}, follow=True)
    assert "Invitation sent to Cfo@Example.com" in response.content.decode()
    assert mail.outbox[0].to == ["cfo@example.com"]
    assert "/invitations/" in mail.outbox[0].body
    invitation = Invitation.objects.get()
    assert invitation.token_hash not in mail.outbox[0].body  # only the hash is stored
    html, mimetype = mail.outbox[0].alternatives[0]
    assert mimetype == "text/html"
    assert "/invitations/" in html and "Accept the invitation" in html


def test_a_new_person_accepts_by_creating_an_account(client, admin_membership):
    _, token = invite(admin_membership)
    response = client.post(
        f"/invitations/{token}/", {"full_name": "Nia Okafor", "password": "orchestrate-2026!"}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="new.person@example.com")
    assert membership.organization == admin_membership.organization
    assert membership.role == Membership.Role.MEMBER
    assert membership.user.get_full_name() == "Nia Okafor"
    assert client.get(response["Location"]).status_code == 200  # signed in


def test_a_weak_password_keeps_the_name_and_says_why(client, admin_membership):
    _, token = invite(admin_membership)
    response = client.post(f"/invitations/{token}/", {"full_name": "Nia Okafor", "password": "123"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "too short" in body
    assert 'value="Nia Okafor"' in body
    assert not Membership.objects.filter(user__email="new.person@example.com").exists()


def test_a_used_invitation_is_refused(client, admin_membership):
    _, token = invite(admin_membership)
    client.post(
        f"/invitations/{token}/", {"full_name": "Nia Okafor", "password": "orchestrate-2026!"}
    )
    client.logout()
    again = client.post(
        f"/invitations/{token}/", {"full_name": "Someone Else", "password": "orchestrate-2026!"}
    )
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert Membership.objects.filter(organization=admin_membership.organization).count() == 2


def test_an_expired_invitation_is_refused(client, admin_membership):
    _, token = invite(admin_membership, now=timezone.now() - timedelta(days=8))
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_an_unknown_token_is_refused(client):
    assert client.get("/invitations/not-a-real-token/").status_code == 410


def test_a_signed_in_user_with_another_email_cannot_take_the_invitation(client, admin_membership):
    _, token = invite(admin_membership)
    stranger = UserFactory(email="stranger@example.com", username="stranger@example.com")
    client.force_login(stranger)
    response = client.post(f"/invitations/{token}/")
    assert response.status_code == 403
    assert "for another email address" in response.content.decode()
    assert not Membership.objects.filter(user=stranger).exists()
    assert Invitation.objects.get().accepted_at is None


def test_the_invited_existing_user_joins_a_second_organization(client, admin_membership):
    existing = MembershipFactory().user
    _, token = invite(admin_membership, email=existing.email)
    client.force_login(existing)
    client.post(f"/invitations/{token}/")
    assert Membership.objects.filter(user=existing).count() == 2


def test_a_member_cannot_invite(client):
    member = MembershipFactory(role=Membership.Role.MEMBER)
    client.force_login(member.user)
    response = client.post(
        f"/orgs/{member.organization.slug}/members/", {"email": "x@example.com", "role": "member"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_accepting_twice_at_once_is_refused_by_the_service(admin_membership):
    _, token = invite(admin_membership)
    invitation_accept(
        token=token, user=None, now=timezone.now(), password="orchestrate-2026!", full_name="A B"
    )
    with pytest.raises(InvitationError):
        invitation_accept(
            token=token,
            user=None,
            now=timezone.now(),
            password="orchestrate-2026!",
            full_name="C D",
        )
