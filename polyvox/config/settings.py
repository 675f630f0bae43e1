"""All settings, driven by environment variables (documented in docs/configuration.md)."""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("POLYVOX_DATA_DIR", BASE_DIR.parent / "var"))

# `polyvox serve` refuses to start with this key (docs/deploy.md: set POLYVOX_SECRET_KEY).
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 — refused by serve
SECRET_KEY = os.environ.get("POLYVOX_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
# Off unless asked for: `make demo` and scripts/serve.sh ask (POLYVOX_DEBUG=1).
DEBUG = os.environ.get("POLYVOX_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("POLYVOX_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [
    origin
    for origin in os.environ.get("POLYVOX_CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: `runserver` (the demo) leaves /static/ to WhiteNoise, which serves it
    # compressed (below), instead of serving it itself uncompressed (docs/page-weight.md).
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs' Swagger UI from our own static files, not a CDN
    "axes",  # login throttling and lock-out
    "polyvox.core",
    "polyvox.participants",
    "polyvox.processes",
    "polyvox.drafts",
    "polyvox.organisations",
    "polyvox.contributions",
    "polyvox.record",
    "polyvox.notifications",
    "polyvox.statements",
    "polyvox.campaigns",
    "polyvox.caucuses",
    "polyvox.joint_statements",
    "polyvox.moderation",
    "polyvox.outcomes",
    "polyvox.commitments",
    "polyvox.indicators",
    "polyvox.accounts",
    "polyvox.operations",
    "polyvox.demo",
]

MIDDLEWARE = [
    # /healthz and /readyz answer before host checks and redirects: a load balancer asks by IP.
    "polyvox.operations.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp) and Permissions-Policy on every answer.
    "csp.middleware.CSPMiddleware",
    "polyvox.operations.headers.PermissionsPolicyMiddleware",
    # Oversized bodies → 413 and malformed input → 400, in the documented error shape.
    "polyvox.operations.hostile.HostileInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML compressed; Django pads with random bytes against BREACH (docs/deploy.md).
    "django.middleware.gzip.GZipMiddleware",
    # A database that does not answer → 503 with Retry-After, never a 500 (docs/deploy.md).
    "polyvox.operations.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # `Authorization: Bearer pvx_…` on /api/: the token's user, its scope, no CSRF.
    "polyvox.accounts.middleware.ApiTokenMiddleware",
    # Sign-up, log-in, inputs, votes, flags and the API: 429 with Retry-After past the limits.
    "polyvox.operations.ratelimit.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "polyvox.core.timezones.ViewerTimezoneMiddleware",
    # A participant asked to accept a new version of the terms before going on.
    "polyvox.participants.consent.ConsentMiddleware",
    # Last, as django-axes asks: counts failed log-ins and locks out.
    "axes.middleware.AxesMiddleware",
]
if DEBUG:
    # With DEBUG (`make demo`) WhiteNoise serves the source tree, which has no pre-compressed
    # copies: GZip goes before it and compresses static files on the fly (htmx: 52 KB → 17 KB).
    # Without DEBUG, `collectstatic` writes brotli and gzip copies that WhiteNoise serves as they
    # are; GZip stays after it, for HTML only (docs/page-weight.md).
    MIDDLEWARE.remove("django.middleware.gzip.GZipMiddleware")
    MIDDLEWARE.insert(
        MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware"),
        "django.middleware.gzip.GZipMiddleware",
    )

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# django-axes: five wrong passwords for one account from one address lock it out there for
# fifteen minutes; a right password resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("POLYVOX_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "participants/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

# The versions of the terms of use and the privacy notice in force (docs/terms.md,
# docs/privacy.md); raising one asks every participant to accept it again.
POLYVOX_TERMS_VERSION = "2026-12-02"
POLYVOX_PRIVACY_VERSION = "2026-12-02"
POLYVOX_REQUIRE_CONSENT = True
# Pages a participant reaches without accepting new terms: downloading their data, closing.
POLYVOX_CONSENT_EXEMPT_PATHS = ("/account/data/", "/account/close/", "/account/closed/")

# Content-Security-Policy: nothing inline, nothing from elsewhere (django-csp 4).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "polyvox.operations.hostile.csrf_failure"

ROOT_URLCONF = "polyvox.config.urls"
WSGI_APPLICATION = "polyvox.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "polyvox.notifications.context_processors.unread_notifications",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'polyvox.sqlite3'}"),
        conn_max_age=int(os.environ.get("POLYVOX_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=os.environ.get("POLYVOX_DB_CONN_HEALTH_CHECKS", "1") == "1",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Nothing hangs: a server that does not answer fails the connection after connect_timeout
    # seconds, and a statement (or a lock wait) is cancelled after statement_timeout ms.
    _PG_OPTIONS = DATABASES["default"].setdefault("OPTIONS", {})
    _PG_OPTIONS.setdefault(
        "connect_timeout", int(os.environ.get("POLYVOX_DB_CONNECT_TIMEOUT", "5"))
    )
    _PG_OPTIONS["options"] = (
        _PG_OPTIONS.get("options", "")
        + " -c statement_timeout="
        + os.environ.get("POLYVOX_DB_STATEMENT_TIMEOUT", "30000")
    ).strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer commits; IMMEDIATE avoids lock-upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "participants.User"
LOGIN_URL = "participants:login"
LOGIN_REDIRECT_URL = "processes:list"
LOGOUT_REDIRECT_URL = "processes:list"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# The six UN languages; Arabic is right-to-left.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # SQLite and whitenoise both need the data dir
WHITENOISE_USE_FINDERS = DEBUG
# Without DEBUG: hashed names (cached for ever by whitenoise) and gzip/brotli copies, made by
# `collectstatic` (which `polyvox serve` runs before it starts).
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads are never served at a public URL: the attachment view checks who may read them and
# streams the file, or hands it to the proxy (POLYVOX_SENDFILE; docs/deploy.md).
MEDIA_ROOT = Path(os.environ.get("POLYVOX_MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media/"
POLYVOX_SENDFILE = os.environ.get("POLYVOX_SENDFILE", "")  # "", "x-accel-redirect", "x-sendfile"
POLYVOX_SENDFILE_PREFIX = os.environ.get("POLYVOX_SENDFILE_PREFIX", "/protected-media/")
if os.environ.get("POLYVOX_STORAGE", "filesystem") == "s3":
    # Several web hosts share uploads on S3-compatible storage (the `s3` extra, django-storages).
    # Files stay private; the attachment view redirects to a URL signed for a few minutes.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("AWS_LOCATION", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }

EMAIL_BACKEND = os.environ.get(
    "POLYVOX_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("POLYVOX_FROM_EMAIL", "polyvox@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The SMTP relay, when POLYVOX_EMAIL_BACKEND is django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = os.environ.get("POLYVOX_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("POLYVOX_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("POLYVOX_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("POLYVOX_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("POLYVOX_EMAIL_USE_TLS", "0") == "1"
EMAIL_TIMEOUT = 10  # seconds: a stuck relay never holds a worker
SITE_URL = os.environ.get("POLYVOX_SITE_URL", "http://127.0.0.1:8000")

# Submissions: attachment limit in bytes (default 10 MiB).
POLYVOX_MAX_ATTACHMENT_BYTES = int(
    os.environ.get("POLYVOX_MAX_ATTACHMENT_BYTES", str(10 * 1024 * 1024))
)

TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "POLYVOX_TASKS_BACKEND", "django_tasks_db.backend.DatabaseBackend"
        )
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Production security (docs/deploy.md shows the environment that `check --deploy` passes). Off
# by default so that a local `polyvox serve --insecure` over plain HTTP still works.
SECURE_SSL_REDIRECT = os.environ.get("POLYVOX_SSL_REDIRECT", "0") == "1"
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("POLYVOX_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("POLYVOX_HSTS_INCLUDE_SUBDOMAINS", "0") == "1"
SECURE_HSTS_PRELOAD = os.environ.get("POLYVOX_HSTS_PRELOAD", "0") == "1"
SESSION_COOKIE_SECURE = os.environ.get("POLYVOX_SECURE_COOKIES", "0") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The header a trusted reverse proxy sets to say the request came over HTTPS, e.g.
# "X-Forwarded-Proto" (the value "https" is implied) or "X-Forwarded-Proto: https".
_PROXY_SSL_HEADER = os.environ.get("POLYVOX_PROXY_SSL_HEADER", "")
if _PROXY_SSL_HEADER:
    _HEADER, _COLON, _VALUE = _PROXY_SSL_HEADER.partition(":")
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _HEADER.strip().upper().replace("-", "_"),
        _VALUE.strip() or "https",
    )
# Seconds a client should wait before retrying when the database does not answer (503).
POLYVOX_RETRY_AFTER = int(os.environ.get("POLYVOX_RETRY_AFTER", "5"))
# Rate limits (polyvox/operations/ratelimit.py, docs/abuse.md): per-rule overrides of its
# DEFAULT_RATE_LIMITS, e.g. {"sign-up": {"address": (20, 3600)}} (requests, seconds).
POLYVOX_RATE_LIMITS: dict[str, dict[str, object]] = {}
# The hour (UTC) at which `polyvox worker` sends the daily digests (docs/notifications.md).
POLYVOX_DIGEST_HOUR_UTC = int(os.environ.get("POLYVOX_DIGEST_HOUR_UTC", "7"))
POLYVOX_RATE_LIMITS_ENABLED = os.environ.get("POLYVOX_RATE_LIMITS_ENABLED", "1") == "1"
# The header a trusted reverse proxy sets to the client's address, e.g. "X-Forwarded-For" (its
# last address is used). Empty: REMOTE_ADDR. Set it only behind a proxy that sets the header.
POLYVOX_CLIENT_ADDRESS_HEADER = os.environ.get("POLYVOX_CLIENT_ADDRESS_HEADER", "")
if POLYVOX_CLIENT_ADDRESS_HEADER:
    # django-axes counts failed log-ins by the same address, the proxy's last (right-most) one.
    AXES_IPWARE_META_PRECEDENCE_ORDER = (
        "HTTP_" + POLYVOX_CLIENT_ADDRESS_HEADER.strip().upper().replace("-", "_"),
        "REMOTE_ADDR",
    )
    AXES_IPWARE_PROXY_ORDER = "right-most"

# Logs go to standard error (systemd's journal, gunicorn's error log): errors of requests even
# without DEBUG, and what `polyvox worker` does.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "polyvox": {"level": os.environ.get("POLYVOX_LOG_LEVEL", "INFO")},
        # Once, to standard error (Django's own console handler prints only with DEBUG).
        "django": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "django.request": {"level": "WARNING" if DEBUG else "ERROR"},
    },
}

# The record (docs/record.md): the checkpoint signing key lives in a file, never in the database.
POLYVOX_RECORD_KEY_FILE = Path(
    os.environ.get("POLYVOX_RECORD_KEY_FILE", DATA_DIR / "record-signing.key")
)
_SITE = urlsplit(SITE_URL)
_SITE_HOST = (_SITE.hostname or "localhost") + (f":{_SITE.port}" if _SITE.port else "")
POLYVOX_RECORD_KEY_NAME = os.environ.get("POLYVOX_RECORD_KEY_NAME", _SITE_HOST)
POLYVOX_RECORD_ORIGIN_HOST = os.environ.get("POLYVOX_RECORD_ORIGIN_HOST", _SITE_HOST)
# The promise: an accepted entry is in a signed checkpoint within this many seconds.
POLYVOX_RECORD_MAX_MERGE_DELAY = 5
POLYVOX_RECORD_INTEGRATE_INTERVAL = float(os.environ.get("POLYVOX_RECORD_INTEGRATE_INTERVAL", "1"))
