"""The self-score in progress on a firm's link, carried in a signed token in the form.

Why a token and not the session: on the embed path the page sits in an iframe on the
firm's site. Browsers do not send our session and CSRF cookies there (they are
``SameSite=Lax``, and third-party cookies are blocked), so nothing kept server-side per
visitor can be found again. The whole state (profile, answers so far, the step) travels in
the form instead, signed with ``django.core.signing`` (HMAC-SHA256 under ``SECRET_KEY``, a
salt of its own) so it cannot be altered, and timestamped so it expires after
``settings.FIRM_SELFSCORE_TOKEN_MAX_AGE``.

Why the embed path's POSTs need no cookie-based CSRF check (``csrf_exempt`` there):
cross-site request forgery abuses the *ambient credentials* a browser attaches to a forged
request: a session cookie. These POSTs read and use none: no session, no signed-in user, no
organization of the visitor. Whatever a forged POST could do, its author could do by
posting directly: take an anonymous self-score. What must not be forged is the state, and
the token protects it:

- ``firm`` binds the token to the firm of the URL: a token minted on one firm's link is
  refused on another's, so nobody can file leads under a firm they did not go through.
- ``nonce`` (128 random bits) names the run: the lead stores it under a unique constraint,
  so replaying the final POST (a double click, a resent form) makes no second response.
- ``consent`` is the consent text rendered on the last step, so the lead stores the text
  the respondent actually saw, not whatever the firm has changed it to since.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing

SALT = "firms.selfscore.v1"


class TokenError(Exception):
    """The token is missing, altered, expired, or minted for another firm."""


@dataclass
class SelfScoreState:
    """``step``: 0 the company profile, 1..n question n, n + 1 the email and consent.
    ``profile`` and ``answers`` (question id -> JSON answer) as the session draft keeps
    them (``benchmark.draft``)."""

    firm_id: int
    version: str
    nonce: str = field(default_factory=lambda: secrets.token_hex(16))
    step: int = 0
    profile: dict[str, str] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    consent: str = ""

    def dump(self) -> str:
        """The signed, timestamped, compressed token."""
        payload = {
            "f": self.firm_id,
            "v": self.version,
            "n": self.nonce,
            "s": self.step,
            "p": self.profile,
            "a": self.answers,
            "c": self.consent,
        }
        return signing.dumps(payload, salt=SALT, compress=True)

    @classmethod
    def load(cls, token: str, *, firm_id: int) -> SelfScoreState:
        """The state in ``token`` for the firm ``firm_id``.

        Raises:
            TokenError: bad signature, older than ``FIRM_SELFSCORE_TOKEN_MAX_AGE``, or
                minted for another firm.
        """
        try:
            data = signing.loads(token, salt=SALT, max_age=settings.FIRM_SELFSCORE_TOKEN_MAX_AGE)
        except signing.SignatureExpired:
            raise TokenError("expired") from None
        except signing.BadSignature:
            raise TokenError("bad signature") from None
        if not isinstance(data, dict) or data.get("f") != firm_id:
            raise TokenError("another firm's token")
        return cls(
            firm_id=firm_id,
            version=str(data["v"]),
            nonce=str(data["n"]),
            step=int(data["s"]),
            profile=dict(data["p"]),
            answers=dict(data["a"]),
            consent=str(data.get("c", "")),
        )
