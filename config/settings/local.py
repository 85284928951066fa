"""`make run`: the product as a newcomer meets it, served by gunicorn on loopback over
plain HTTP. Production-like: DEBUG off, the project's own 404 and 500 pages, static files
from WhiteNoise (collectstatic, hashed manifest). Embedded: SQLite and eager Celery (the
base defaults), one process, so the rate-limit counts may live in its memory.

The secret key is generated on first start and kept in a git-ignored file
(``LOCAL_SECRET_KEY_FILE``, default ``.local-secret-key``), so sessions survive restarts
and no key is committed. ``SITE_URL`` follows ``PORT`` (base.py): ``PORT=8101 make run``
emails links to :8101. For `make dev` (DEBUG, auto-reload) the base settings apply.
"""

import secrets
from pathlib import Path

import environ

from .base import *  # noqa: F403
from .base import BASE_DIR, env


def _kept_secret_key(path: Path) -> str:
    """The key in ``path``, written there (owner-only) the first time."""
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50))
    key = path.read_text().strip()
    if len(key) < 50:
        raise environ.ImproperlyConfigured(f"{path} holds no usable secret key; delete it")
    return key


DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or _kept_secret_key(
    Path(env.str("LOCAL_SECRET_KEY_FILE", default=str(BASE_DIR / ".local-secret-key")))
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# HTTP on loopback: no SSL redirect, no HSTS, cookies without the Secure flag (they
# would never be sent back over http://).
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_HTTPONLY = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
