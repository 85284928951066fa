"""Settings shared by every environment, read from environment variables.

Every value that differs between a laptop, CI and production comes from the environment
through django-environ, which fails loudly on a malformed value. The defaults give an
embedded setup that needs no server: SQLite and Celery in eager mode.

Environment variables:
    DJANGO_DEBUG            bool, default True here (production.py forces False)
    DJANGO_SECRET_KEY       str, a development key by default (production requires one)
    DJANGO_ALLOWED_HOSTS    comma list, default "127.0.0.1,localhost"
    DATABASE_URL            e.g. postgres://postgres@127.0.0.1:5432/app; SQLite by default
    CELERY_BROKER_URL       e.g. redis://127.0.0.1:6379/0; unset means eager (in-process)
    CELERY_VISIBILITY_TIMEOUT  seconds before an unacknowledged task is redelivered (3600)
    DATA_IMPORT_MAX_BYTES   largest CSV upload in bytes (200 MB)
    DATA_IMPORT_STALE_SECONDS  seconds without progress before an import counts as stopped (900)
    EMAIL_URL               e.g. smtp+tls://user:pass@host:587; console backend by default
    CACHE_URL / REDIS_URL   e.g. redis://127.0.0.1:6379/1 (rate-limit counts); per-process
                            memory by default, which only the embedded default may use
    TRUSTED_PROXY_COUNT     reverse proxies in front of the app that append to
                            X-Forwarded-For (0: the header is ignored)
    RATELIMIT_ENABLE        bool, default True; RATELIMIT_* rates like "5/h" ("off": none)
    DEFAULT_FROM_EMAIL      sender of the emails the app sends
    BENCHMARK_DEFINITION    version of the benchmark definition new responses use
    DEFAULT_FIRM_SLUG       slug of the consulting firm that owns the plain public self-score
    DEFAULT_FIRM_NAME       its name, used when the firm is first created ("Maturity Benchmark")
    SECRET_ENCRYPTION_KEYS  comma list of Fernet keys for secrets at rest (core.secrets): the
                            first encrypts, all decrypt; default one derived from SECRET_KEY
    OUTBOUND_ALLOWED_NETWORKS  comma list of CIDRs that user-given URLs may reach although
                            private or loopback (core.outbound); default none
    RATELIMIT_INGEST        run-ingest API requests per endpoint and address ("600/m")
    N8N_PULL_INTERVAL_SECONDS  how often beat pulls every n8n connection (900)
    FIRM_SELFSCORE_TOKEN_MAX_AGE  seconds a self-score in progress on a firm's link stays
                            valid between two answers (6 hours)
    WEBHOOK_ALLOWED_HOSTS   comma list of hosts (or addresses) a webhook endpoint may reach
                            over plain http and at private or loopback addresses (none)
    WEBHOOK_MAX_ATTEMPTS    attempts per delivery, the first included (8)
    WEBHOOK_RETRY_BASE_SECONDS / WEBHOOK_RETRY_MAX_SECONDS  backoff's first step and cap (30, 1800)
    WEBHOOK_CONNECT_TIMEOUT / WEBHOOK_READ_TIMEOUT  seconds per attempt (5, 10)
    WEBHOOK_DISABLE_AFTER_FAILURES  failed deliveries in a row that disable an endpoint (5)
    WEBHOOK_SECRET_OVERLAP_HOURS  hours a rotated-out secret keeps signing (24)
"""

import re
from pathlib import Path

import environ

from config.build import build_fingerprint

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY",
    default="dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz",
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "django_ratelimit",
    "core",
    "benchmark",
    "workflows",
    "audits",
    "reports",
    "firms",
    "webhooks",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which is first to read request.POST: uploads over the limit get a 413
    # before their body is written anywhere.
    "core.uploads.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Private pages and downloads: Cache-Control: private, no-store.
    "core.middleware.PrivateCacheControlMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: it turns locked-out logins into its lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "benchmark:landing"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
# Sessions are read from the cache and written through to the database: one query less on
# every signed-in page (issue 13). The fail-soft "pages" cache (CACHES below) means a Redis
# that is down costs that query again, never a sign-in.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "pages"
# Whole signed-in pages kept while the database has not been written to (core.page_cache),
# at most this many seconds; 0 draws every page on every load.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)

# The client's address behind reverse proxies (core.throttle.client_ip): the number of
# proxies in front of the app that each append to X-Forwarded-For. 0 ignores the header.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise environ.ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more")

# Login throttling (django-axes), per address and per account separately: 5 failures from
# one address (any accounts) lock that address out, and 5 failures for one account (from
# any addresses) lock that account, each for an hour. The pair alone would let one
# address behind a proxy stand for everyone, and let an attacker try every account. A
# completed password reset lifts the account's lock (core.auth_views), so its owner
# always has a way back in; a success resets the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_CLIENT_IP_CALLABLE = "core.throttle.client_ip"
AXES_USERNAME_CALLABLE = "core.throttle.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"


def _rate(name: str, default: str) -> str:
    """A django-ratelimit rate such as "5/h" or "30/10m", or "off"; fails loudly otherwise."""
    value = env.str(name, default=default).strip()
    if value != "off" and not re.fullmatch(r"[1-9]\d*/\d*[smhd]", value):
        raise environ.ImproperlyConfigured(f'{name}="{value}" is not a rate like "5/h" or "off"')
    return value


# Rate limits per client address (core.throttle.rate_limit; a 429 with Retry-After over
# them), counted in the default cache. Load tests, whose traffic all comes from one
# loopback address, turn them off with RATELIMIT_ENABLE=false and say so.
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
RATELIMIT_IP_META_KEY = "core.throttle.client_ip"
RATELIMIT_PASSWORD_RESET = _rate("RATELIMIT_PASSWORD_RESET", "5/h")  # emails sent
RATELIMIT_RESULT_EMAIL = _rate("RATELIMIT_RESULT_EMAIL", "10/h")  # emails sent
RATELIMIT_RESULT_PDF = _rate("RATELIMIT_RESULT_PDF", "30/h")  # one-page PDFs rendered
# Autosave posts each field as it changes: a client filling the intake sends a few
# hundred in an hour.
RATELIMIT_SHARE_LINK_WRITES = _rate("RATELIMIT_SHARE_LINK_WRITES", "600/h")
# "Request a Revenue Audit" from a result page: each creates an organization and an audit,
# or sends the invitation again.
RATELIMIT_AUDIT_REQUEST = _rate("RATELIMIT_AUDIT_REQUEST", "5/h")

# The run-ingest API (workflows.ingest.api): requests per ingest endpoint and client address.
RATELIMIT_INGEST = _rate("RATELIMIT_INGEST", "600/m")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # Replaces Django's json_script with one that refuses NaN (core/json.py).
            "builtins": ["core.templatetags.strict_json"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Persistent connections: measured faster under gunicorn sync workers (ARCHITECTURE.md).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Every script and style is served from static/, never from a CDN. Charts are drawn as SVG
# on the server (core.svgchart), so no page loads a charting library.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Hashed, compressed static files (WhiteNoise), as production serves them; the tests of the
# production setup use the same dict.
PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The cache holds the rate-limit counts, which every web process must share: Redis when
# CACHE_URL (or REDIS_URL) is set. Without one, each process counts alone (local memory),
# which is only right for the embedded default: one process (`make run`, `make dev`,
# tests). django-ratelimit's check refuses that cache; the embedded default silences it
# and production.py does not, so production without a shared cache fails its checks.
CACHE_URL = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
CACHES = {
    "default": env.cache_url_config(CACHE_URL)
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "benchmark"}
}
# The result page's peer histograms and drawn fragments (benchmark.peer_cache): the same
# server, but a Redis that is down answers "not cached" instead of an error (core.cache).
CACHES["pages"] = {
    **CACHES["default"],
    # Keys carry the build (config.build): HTML kept by one deployment, form fields above
    # all, is never served by the next.
    "KEY_PREFIX": f"build-{build_fingerprint(BASE_DIR)}",
    "BACKEND": "core.cache.FailSoftRedisCache"
    if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    else CACHES["default"]["BACKEND"],
}
SILENCED_SYSTEM_CHECKS = [
    # Django's own Redis backend increments atomically (INCR); django-ratelimit's list of
    # supported backends predates it and warns about it.
    "django_ratelimit.W001",
    # Local memory in the embedded default: one process, so its counts are all there is.
    "django_ratelimit.E003",
]

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="benchmark@localhost")

# Celery: eager (in-process) unless a broker is configured, so `make run` needs no server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Without a broker, a board report renders in a thread of the web process, off the request,
# so the click answers at once with the same queued / rendering page as with a worker.
BOARD_REPORTS_IN_THREAD = CELERY_TASK_ALWAYS_EAGER
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
# A message whose worker died without acknowledging it (acks_late) is redelivered by the
# broker this many seconds after it was taken: longer than the longest task plus its
# countdown, so Redis does not redeliver live work. Workers look for such messages every
# 10 s (kombu's unacked_restore_interval, with every look a real scan).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
}

# Content-Security-Policy (django-csp 4): no inline script anywhere. htmx and a few
# templates set inline styles (bar widths), hence style-src 'unsafe-inline'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

BENCHMARK_DEFINITION = env.str("BENCHMARK_DEFINITION", default="2026.2")
BENCHMARK_DEFINITIONS_DIR = BASE_DIR / "benchmark" / "definitions"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Renderers that narrate every step at INFO.
    "loggers": {
        name: {"level": "WARNING"}
        for name in ("weasyprint", "fontTools", "choreographer", "kaleido", "logistro")
    },
}

# Absolute address of the site: every link in emails, files and pages, and the .ics UIDs
# (core.links). Never the request's Host.
PORT = env.int("PORT", default=8000)
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{PORT}")

# The consulting firm that owns the plain public self-score and any client that came
# without a firm's link (core.selectors.firm_default creates it on first use).
DEFAULT_FIRM_SLUG = env.str("DEFAULT_FIRM_SLUG", default="maturity-benchmark")
DEFAULT_FIRM_NAME = env.str("DEFAULT_FIRM_NAME", default="Maturity Benchmark")
# How long a self-score in progress through a firm's link (the signed token in the form,
# firms.tokens) stays valid between two answers, in seconds.
FIRM_SELFSCORE_TOKEN_MAX_AGE = env.int("FIRM_SELFSCORE_TOKEN_MAX_AGE", default=6 * 3600)

MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"  # uploaded files are never served publicly; downloads go through views
# Largest upload (core.uploads: refused with a 413 before the body is stored), and the
# space each organization's kept files may take: uploaded originals and report PDFs
# (core.quota).
DATA_IMPORT_MAX_BYTES = env.int("DATA_IMPORT_MAX_BYTES", default=200_000_000)
ORGANIZATION_STORAGE_QUOTA_BYTES = env.int(
    "ORGANIZATION_STORAGE_QUOTA_BYTES", default=2_000_000_000
)
# An import still "processing" with no progress for this long has lost its worker: it is
# marked failed (with a Retry button) by the beat sweep and whenever its page is read, as
# beat does not run in the embedded default. Longer than the task's hard time limit.
DATA_IMPORT_STALE_SECONDS = env.int("DATA_IMPORT_STALE_SECONDS", default=900)
# Uploads over 2.5 MB go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Secrets at rest (core.secrets): Fernet keys, the first encrypts and all decrypt. Rotate by
# putting a new key first, running `manage.py secrets_reencrypt`, then dropping the old one.
SECRET_ENCRYPTION_KEYS = env.list("SECRET_ENCRYPTION_KEYS", default=[])
# User-given URLs (n8n base URLs; core.outbound) may not reach private, loopback or
# link-local addresses unless a network here names them (the tests name loopback).
OUTBOUND_ALLOWED_NETWORKS = env.list("OUTBOUND_ALLOWED_NETWORKS", default=[])
# Run ingest: a rotated signing secret keeps verifying this long (the overlap).
INGEST_SECRET_OVERLAP_SECONDS = env.int("INGEST_SECRET_OVERLAP_SECONDS", default=24 * 3600)
# Standard Webhooks timestamp tolerance is the library's (5 minutes either way).
N8N_PULL_INTERVAL_SECONDS = env.int("N8N_PULL_INTERVAL_SECONDS", default=900)

# Celery beat (a separate process in production: `celery -A config beat`).
CELERY_BEAT_SCHEDULE = {
    "review-reminders": {"task": "workflows.tasks.review_reminders", "schedule": 3600.0},
    "board-reports-requeue": {"task": "reports.tasks.board_reports_requeue", "schedule": 300.0},
    "data-imports-requeue": {"task": "workflows.tasks.data_imports_requeue", "schedule": 300.0},
    "n8n-pull-all": {
        "task": "workflows.tasks.n8n_pull_all",
        "schedule": float(N8N_PULL_INTERVAL_SECONDS),
    },
    "webhook-deliveries-requeue": {
        "task": "webhooks.tasks.webhook_deliveries_requeue",
        "schedule": 300.0,
    },
}

# Outbound webhooks (webhooks/). Endpoint URLs are user-given: https only, public addresses
# only, unless the host (or the address) is listed here: the tests' loopback receiver, or
# a CRM inside the deployment's own network.
WEBHOOK_ALLOWED_HOSTS = env.list("WEBHOOK_ALLOWED_HOSTS", default=[])
# A failed attempt is retried after base * 2**(n-1) seconds (capped, with jitter) up to
# WEBHOOK_MAX_ATTEMPTS attempts: 30 s, 1, 2, 4, 8, 16, 30 min, about an hour in all. The cap
# stays under CELERY_VISIBILITY_TIMEOUT, or Redis would hand a waiting retry to a second
# worker.
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=30.0)
WEBHOOK_RETRY_MAX_SECONDS = env.float("WEBHOOK_RETRY_MAX_SECONDS", default=1800.0)
if WEBHOOK_MAX_ATTEMPTS < 1 or not 0 <= WEBHOOK_RETRY_BASE_SECONDS <= WEBHOOK_RETRY_MAX_SECONDS:
    raise environ.ImproperlyConfigured(
        "WEBHOOK_MAX_ATTEMPTS must be 1 or more, and 0 <= WEBHOOK_RETRY_BASE_SECONDS <= "
        "WEBHOOK_RETRY_MAX_SECONDS"
    )
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= WEBHOOK_RETRY_MAX_SECONDS:
    raise environ.ImproperlyConfigured(
        "WEBHOOK_RETRY_MAX_SECONDS must stay under CELERY_VISIBILITY_TIMEOUT"
    )
WEBHOOK_CONNECT_TIMEOUT = env.float("WEBHOOK_CONNECT_TIMEOUT", default=5.0)
WEBHOOK_READ_TIMEOUT = env.float("WEBHOOK_READ_TIMEOUT", default=10.0)
WEBHOOK_DISABLE_AFTER_FAILURES = env.int("WEBHOOK_DISABLE_AFTER_FAILURES", default=5)
# After a secret's rotation the old one signs beside the new one this long.
WEBHOOK_SECRET_OVERLAP_HOURS = env.int("WEBHOOK_SECRET_OVERLAP_HOURS", default=24)
# A pending delivery this overdue is sent again by the beat job (its message was lost).
WEBHOOK_REQUEUE_AFTER_SECONDS = env.int("WEBHOOK_REQUEUE_AFTER_SECONDS", default=300)
# Without a broker, deliveries run in a thread of the web process, off the request.
WEBHOOK_DELIVERIES_IN_THREAD = CELERY_TASK_ALWAYS_EAGER
