"""All settings, driven by environment variables (documented in docs/configuration.md)."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("POLYVOX_DATA_DIR", BASE_DIR.parent / "var"))

SECRET_KEY = os.environ.get("POLYVOX_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = os.environ.get("POLYVOX_DEBUG", "1") == "1"
ALLOWED_HOSTS = os.environ.get("POLYVOX_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
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
    "polyvox.outcomes",
    "polyvox.commitments",
    "polyvox.operations",
    "polyvox.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "polyvox.core.timezones.ViewerTimezoneMiddleware",
]

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
        conn_max_age=int(os.environ.get("POLYVOX_DB_CONN_MAX_AGE", "0")),
    )
}
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("POLYVOX_MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media/"

EMAIL_BACKEND = os.environ.get(
    "POLYVOX_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("POLYVOX_FROM_EMAIL", "polyvox@localhost")
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
