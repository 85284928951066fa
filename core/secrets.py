"""Secrets kept at rest encrypted: API keys of other services, webhook signing secrets.

Fernet (cryptography) under a MultiFernet of ``settings.SECRET_ENCRYPTION_KEYS``: the first
key encrypts, every key decrypts, so a key is rotated by putting the new one first, running
``manage.py secrets_reencrypt`` (every stored secret re-encrypted under the first key), and
then dropping the old one (cryptography's documented rotation: ``MultiFernet.rotate``).
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class SecretUnreadable(Exception):
    """A stored secret that none of the configured keys decrypts (a key was dropped too
    soon, or the value was altered)."""


def derived_key(secret_key: str) -> str:
    """A Fernet key derived from Django's SECRET_KEY: the default when no
    SECRET_ENCRYPTION_KEYS are configured (a separate key is better: rotating SECRET_KEY
    then leaves stored secrets readable)."""
    digest = hashlib.sha256(f"secret-encryption:{secret_key}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def _fernet() -> MultiFernet:
    keys = list(settings.SECRET_ENCRYPTION_KEYS) or [derived_key(settings.SECRET_KEY)]
    return MultiFernet([Fernet(key.encode()) for key in keys])


def secret_encrypt(plain: str) -> str:
    """The Fernet token (ASCII text) of ``plain`` under the first key."""
    return _fernet().encrypt(plain.encode()).decode()


def secret_decrypt(token: str) -> str:
    """The plain text of a token any configured key made. Raises SecretUnreadable."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable("no configured key decrypts this secret") from exc


def secret_reencrypt(token: str) -> str:
    """The same secret under the first key (``MultiFernet.rotate``, which keeps the
    token's original timestamp). Raises SecretUnreadable."""
    try:
        return _fernet().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable("no configured key decrypts this secret") from exc
