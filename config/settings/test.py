"""Test settings: the base settings with fast hashing and no manifest storage.

The database still comes from DATABASE_URL, so the same suite runs on SQLite and on
PostgreSQL (CI sets the latter).
"""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Always this process's memory, whatever CACHE_URL says: tests clear it between cases
# (tests/conftest.py) and must never clear a shared cache.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "KEY_PREFIX": CACHES["pages"]["KEY_PREFIX"],  # noqa: F405 - the build, as in base
    },
}
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001", "django_ratelimit.E003"]
# Tasks run eagerly, except in the tests that start a real worker; those need the broker
# known from the start, since Celery keeps the connection pool it first made.
CELERY_TASK_ALWAYS_EAGER = True
# Reports render inside the request in tests (the thread is tested on its own).
BOARD_REPORTS_IN_THREAD = False
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or "redis://127.0.0.1:6379/15"
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
AXES_VERBOSE = False
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # type: ignore[index]  # noqa: F405
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="benchmark-test-media-"))
# The fake n8n servers of the pull tests listen on loopback (core.outbound refuses it
# otherwise).
OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
# Webhooks: the tests' receivers listen on loopback; retries wait milliseconds, not minutes,
# and deliveries run as tasks (eager, or on the real worker), not in threads.
WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
WEBHOOK_RETRY_BASE_SECONDS = 0.01
WEBHOOK_RETRY_MAX_SECONDS = 0.05
WEBHOOK_MAX_ATTEMPTS = 3
WEBHOOK_CONNECT_TIMEOUT = 2.0
WEBHOOK_READ_TIMEOUT = 2.0
WEBHOOK_DISABLE_AFTER_FAILURES = 2
WEBHOOK_DELIVERIES_IN_THREAD = False
