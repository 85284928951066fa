"""Production settings: DEBUG off, secrets required, HTTPS everywhere.

DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS must be set; a missing secret raises
ImproperlyConfigured at start-up rather than running with the development key.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True

# Rate limits need a cache every web process shares (CACHE_URL or REDIS_URL): local
# memory here fails django_ratelimit.E003, so `check` and `migrate` refuse to run.
SILENCED_SYSTEM_CHECKS = [c for c in SILENCED_SYSTEM_CHECKS if c != "django_ratelimit.E003"]  # noqa: F405

STORAGES = PRODUCTION_STORAGES  # noqa: F405  (hashed, compressed static files)
