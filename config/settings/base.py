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
    DEFAULT_FROM_EMAIL      sender of the emails the app sends
    BENCHMARK_DEFINITION    version of the benchmark definition new responses use
"""

from pathlib import Path

import environ
import plotly

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
    "core",
    "benchmark",
    "workflows",
    "audits",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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

# Login throttling (django-axes): 5 failures for one username from one address lock that
# pair out for an hour; a success resets the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
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
# plotly.js is served from the copy the plotly package ships, never from a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/plotly", Path(plotly.__file__).resolve().parent / "package_data"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="benchmark@localhost")

# Celery: eager (in-process) unless a broker is configured, so `make run` needs no server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
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

# Content-Security-Policy (django-csp 4): no inline script anywhere. plotly.js and htmx
# set inline styles, hence style-src 'unsafe-inline'.
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

BENCHMARK_DEFINITION = env.str("BENCHMARK_DEFINITION", default="2026.1")
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

# Absolute address of the site, used in links sent by email.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"  # uploaded files are never served publicly; downloads go through views
DATA_IMPORT_MAX_BYTES = env.int("DATA_IMPORT_MAX_BYTES", default=200_000_000)
# An import still "processing" with no progress for this long has lost its worker: it is
# marked failed (with a Retry button) by the beat sweep and whenever its page is read, as
# beat does not run in the embedded default. Longer than the task's hard time limit.
DATA_IMPORT_STALE_SECONDS = env.int("DATA_IMPORT_STALE_SECONDS", default=900)
# Uploads over 2.5 MB go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Celery beat (a separate process in production: `celery -A config beat`).
CELERY_BEAT_SCHEDULE = {
    "review-reminders": {"task": "workflows.tasks.review_reminders", "schedule": 3600.0},
    "board-reports-requeue": {"task": "reports.tasks.board_reports_requeue", "schedule": 300.0},
    "data-imports-requeue": {"task": "workflows.tasks.data_imports_requeue", "schedule": 300.0},
}
