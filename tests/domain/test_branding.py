"""A firm's branding rules (firms.branding): logo by content, accent colour, origins."""

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from firms.branding import (
    LOGO_MAX_BYTES,
    BrandingError,
    check_accent,
    check_logo,
    contrast_with_white,
    parse_origins,
)


def image_bytes(kind: str, size=(40, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 90, 80)).save(out, format=kind)
    return out.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(("kind", "content_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg")])
def test_it_takes_png_and_jpeg(kind, content_type):
    assert check_logo(image_bytes(kind)) == content_type


@pytest.mark.parametrize(
    "data",
    [
        SVG,
        image_bytes("GIF"),
        image_bytes("WEBP"),
        b"\x89PNG\r\n\x1a\n" + b"not really a png",
        image_bytes("PNG")[:60],  # truncated
        b"",
    ],
    ids=["svg", "gif", "webp", "png-magic-only", "truncated", "empty"],
)
def test_it_refuses_anything_else_whatever_its_name(data):
    with pytest.raises(BrandingError, match="PNG or JPEG"):
        check_logo(data)


def test_it_refuses_a_large_file_and_a_huge_image():
    with pytest.raises(BrandingError, match="200 KB"):
        check_logo(b"\x00" * (LOGO_MAX_BYTES + 1))
    with pytest.raises(BrandingError, match="pixels a side"):
        check_logo(image_bytes("PNG", size=(4000, 10)))


@pytest.mark.parametrize(
    ("value", "expected"),
    [("#0F766E", "#0f766e"), (" #7a1f5c ", "#7a1f5c"), ("#000000", "#000000")],
)
def test_it_takes_a_dark_enough_hex_colour(value, expected):
    assert check_accent(value) == expected


@pytest.mark.parametrize(
    "value", ["0f766e", "#0f766", "#0f766eff", "red", "#ggg000", "#fff", "url(x)"]
)
def test_it_refuses_what_is_not_rrggbb(value):
    with pytest.raises(BrandingError, match="six hex digits"):
        check_accent(value)


def test_it_refuses_a_colour_too_light_for_white_text():
    with pytest.raises(BrandingError, match="too light"):
        check_accent("#ffd700")


def test_contrast_matches_wcag_reference_points():
    assert contrast_with_white("#ffffff") == pytest.approx(1.0)
    assert contrast_with_white("#000000") == pytest.approx(21.0)
    assert contrast_with_white("#767676") == pytest.approx(4.54, abs=0.01)  # WebAIM's AA grey


def test_origins_are_normalised_and_deduplicated():
    text = "https://WWW.Example.com\n\n  http://localhost:8001/ \nhttps://www.example.com\n"
    assert parse_origins(text) == ["https://www.example.com", "http://localhost:8001"]


@pytest.mark.parametrize(
    "line",
    [
        "*",
        "https://*.example.com",
        "'none'",
        "'self'",
        "example.com",
        "javascript:alert(1)",
        "https://example.com/page",
        "https://example.com?x=1",
        "https://user@example.com",
        "https://example.com:99999",
        "ftp://example.com",
        "https://exa mple.com",
        "https://example.com; script-src *",
    ],
)
def test_it_refuses_what_is_not_an_origin(line):
    with pytest.raises(BrandingError, match="not an origin"):
        parse_origins(line)


@given(st.text(max_size=200))
def test_whatever_is_accepted_is_a_plain_origin(text):
    try:
        origins = parse_origins(text)
    except BrandingError:
        return
    for origin in origins:
        assert origin.startswith(("http://", "https://"))
        assert not any(c in origin for c in " ;,'\"*\n\t")
        assert origin == origin.lower()
