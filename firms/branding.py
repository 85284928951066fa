"""A firm's branding rules: the logo's format, the accent colour, the embedding origins.

Pure module: the standard library and Pillow, no Django. Forms call these and turn
``BrandingError`` into a field error.

- Logo: PNG or JPEG only, told by the file's content (Pillow decodes it), never by its name
  or the browser's content type; SVG is refused since it can carry script. At most
  ``LOGO_MAX_BYTES`` and ``LOGO_MAX_SIDE`` pixels a side (a small file can still declare a
  huge image: a decompression bomb).
- Accent colour: ``#rrggbb``, and dark enough that white button text on it keeps WCAG 2.x
  AA contrast (4.5:1), so a firm's colour cannot make its own pages unreadable.
- Embed origins: ``scheme://host[:port]`` with scheme http or https, one per line; no path,
  no wildcard, no ``'none'`` or other CSP keyword, since each goes verbatim into
  ``frame-ancestors`` and into ``postMessage``'s target origin.
"""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

from PIL import Image, UnidentifiedImageError

LOGO_MAX_BYTES = 200_000
LOGO_MAX_SIDE = 2000
LOGO_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
MIN_CONTRAST_WITH_WHITE = 4.5  # WCAG 2.x 1.4.3, normal text
MAX_ORIGINS = 10

_HEX = re.compile(r"#[0-9a-fA-F]{6}")
_HOST = re.compile(
    r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*"
)


class BrandingError(ValueError):
    """A logo, colour or origin the rules above refuse; the message says why, for the user."""


def check_logo(data: bytes) -> str:
    """The content type (``image/png`` or ``image/jpeg``) of the logo ``data``.

    Raises:
        BrandingError: too large, not an image Pillow can read, another format (SVG, GIF,
            WebP...), or more than ``LOGO_MAX_SIDE`` pixels a side.
    """
    if len(data) > LOGO_MAX_BYTES:
        raise BrandingError(f"The logo is over {LOGO_MAX_BYTES // 1000} KB; upload a smaller file.")
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format or ""
            width, height = image.size
            if kind not in LOGO_FORMATS:
                raise BrandingError("The logo must be a PNG or JPEG image.")
            if max(width, height) > LOGO_MAX_SIDE:
                raise BrandingError(f"The logo is over {LOGO_MAX_SIDE} pixels a side.")
            image.verify()  # reads the whole file: a truncated or corrupt one fails here
    except BrandingError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise BrandingError("The logo must be a PNG or JPEG image.") from None
    return LOGO_FORMATS[kind]


def _luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of ``#rrggbb`` (0 black .. 1 white)."""
    channels = []
    for start in (1, 3, 5):
        c = int(hex_colour[start : start + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(hex_colour: str) -> float:
    """The WCAG contrast ratio of white text on ``#rrggbb`` (1 .. 21)."""
    return 1.05 / (_luminance(hex_colour) + 0.05)


def check_accent(value: str) -> str:
    """``value`` as a lower-case ``#rrggbb``.

    Raises:
        BrandingError: not ``#rrggbb``, or too light for white text (under 4.5:1).
    """
    value = value.strip()
    if not _HEX.fullmatch(value):
        raise BrandingError("Give the colour as # and six hex digits, e.g. #0f766e.")
    value = value.lower()
    if contrast_with_white(value) < MIN_CONTRAST_WITH_WHITE:
        raise BrandingError(
            f"{value} is too light for white text on buttons "
            f"(contrast {contrast_with_white(value):.1f}:1, at least 4.5:1 needed)."
        )
    return value


def parse_origins(text: str) -> list[str]:
    """The origins in ``text`` (one per line, blank lines ignored), normalised to
    ``scheme://host[:port]`` in lower case, duplicates dropped, order kept.

    Raises:
        BrandingError: naming the first line that is not an http(s) origin, or more than
            ``MAX_ORIGINS`` origins.
    """
    origins: list[str] = []
    for line in text.splitlines():
        raw = line.strip()
        if not raw:
            continue
        origin = _origin(raw)
        if origin not in origins:
            origins.append(origin)
    if len(origins) > MAX_ORIGINS:
        raise BrandingError(f"List at most {MAX_ORIGINS} origins.")
    return origins


def _origin(raw: str) -> str:
    refused = BrandingError(
        f"{raw[:80]!r} is not an origin: write the scheme and host only, "
        "like https://www.example.com"
    )
    parts = urlsplit(raw)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise refused
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise refused
    if "*" in raw or not _HOST.fullmatch(parts.hostname):
        raise refused
    try:
        port = parts.port
    except ValueError:
        raise refused from None
    host = parts.hostname.lower()
    return f"{parts.scheme.lower()}://{host}" + (f":{port}" if port else "")
