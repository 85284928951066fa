"""The firm's settings page: its consultants edit name, logo, colour, origins and consent."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.models import Membership
from firms.models import FirmProfile
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

URL = "/orgs/harbor/firm/"


def png(size=(40, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (120, 30, 90)).save(out, format="PNG")
    return out.getvalue()


def form(**overrides):
    data = {
        "name": "Harbor Advisory",
        "accent_color": "#7a1f5c",
        "embed_origins": "https://www.harbor.example",
        "consent_text": "I agree that {firm} may email me.",
    }
    return {**data, **overrides}


def test_a_consultant_saves_the_link_settings(client, firm):
    client.force_login(firm.consultant.user)
    logo = SimpleUploadedFile("logo.png", png(), content_type="image/png")
    reply = client.post(
        URL,
        form(
            name="Harbor & Co",
            logo=logo,
            embed_origins="https://www.harbor.example\nhttp://localhost:8001",
        ),
    )
    assert reply.status_code == 302
    profile = FirmProfile.objects.get(firm=firm.org)
    firm.org.refresh_from_db()
    assert firm.org.name == "Harbor & Co"
    assert profile.logo_content_type == "image/png"
    assert profile.embed_origins == ["https://www.harbor.example", "http://localhost:8001"]
    served = client.get("/b/harbor/logo/")
    assert served["Content-Type"] == "image/png" and bytes(served.content) == png()
    assert 'src="/b/harbor/logo/"' in client.get("/b/harbor/").content.decode()


def test_posting_the_form_unchanged_keeps_the_logo(client, firm):
    FirmProfile.objects.filter(firm=firm.org).update(logo=png(), logo_content_type="image/png")
    client.force_login(firm.consultant.user)
    assert client.post(URL, form()).status_code == 302
    assert FirmProfile.objects.get(firm=firm.org).logo_content_type == "image/png"


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>',
            "image/svg+xml",
        ),
        ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "image/png"),
        ("logo.png", b"GIF89a" + b"\x00" * 40, "image/png"),
    ],
    ids=["svg", "svg-named-png", "gif-named-png"],
)
def test_a_logo_that_is_not_png_or_jpeg_is_refused_and_the_rest_kept(
    client, firm, name, data, content_type
):
    client.force_login(firm.consultant.user)
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    reply = client.post(URL, form(logo=upload, accent_color="#123456"))
    assert reply.status_code == 422
    page = reply.content.decode()
    assert "must be a PNG or JPEG" in page
    assert 'value="#123456"' in page  # what was typed stays
    assert FirmProfile.objects.get(firm=firm.org).logo_content_type == ""


def test_bad_colour_and_origins_are_refused_with_reasons(client, firm):
    client.force_login(firm.consultant.user)
    reply = client.post(URL, form(accent_color="#ffff00", embed_origins="https://*.evil.example"))
    page = reply.content.decode()
    assert reply.status_code == 422
    assert "too light for white text" in page
    assert "is not an origin" in page
    assert FirmProfile.objects.get(firm=firm.org).embed_origins == ["https://www.harbor.example"]


def test_only_the_firms_consultants_see_the_firm_pages(client, firm):
    member = MembershipFactory(organization=firm.org, role=Membership.Role.MEMBER)
    client.force_login(member.user)
    # Home lists the firm (a firm has no dashboard to send its one member to).
    home = client.get("/home/")
    assert home.status_code == 200 and 'href="/orgs/harbor/members/"' in home.content.decode()
    assert client.get(URL).status_code == 403
    assert client.get("/orgs/harbor/leads/").status_code == 403
    assert client.get("/orgs/harbor/members/").status_code == 200


def test_a_firm_has_no_client_pages_and_a_client_no_firm_pages(client, firm):
    client.force_login(firm.consultant.user)
    for path in ("/orgs/harbor/", "/orgs/harbor/audits/", "/orgs/harbor/workflows/"):
        assert client.get(path).status_code == 404, path
    consultant_of_client = MembershipFactory(role=Membership.Role.CONSULTANT)
    client.force_login(consultant_of_client.user)
    slug = consultant_of_client.organization.slug
    assert client.get(f"/orgs/{slug}/firm/").status_code == 404
    assert client.get(f"/orgs/{slug}/leads/").status_code == 404


def test_the_consultant_finds_the_firm_among_their_organizations(client, firm):
    client.force_login(firm.consultant.user)
    page = client.get("/home/").content.decode()
    assert 'href="/orgs/harbor/leads/"' in page
    nav = client.get("/orgs/harbor/leads/").content.decode()
    assert "Benchmark link" in nav and "Board report" not in nav and "Dashboard" not in nav
