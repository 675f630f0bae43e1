"""Test settings: fast hashing, eager tasks, mail kept in memory, a throwaway media dir."""

import atexit
import shutil
import tempfile
from pathlib import Path

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="polyvox-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)  # one per process; none left behind
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files straight from the apps, as in development: tests never run collectstatic.
WHITENOISE_USE_FINDERS = True
# Production switches read from the environment stay off whatever the shell exports; the tests
# that check them (tests/operations) run the production settings in a subprocess or override.
DEBUG = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
POLYVOX_SENDFILE = ""
POLYVOX_SENDFILE_PREFIX = "/protected-media/"
# Users made by factories have accepted no terms; the consent tests (tests/participants) turn
# the check back on with the `settings` fixture.
POLYVOX_REQUIRE_CONSENT = False
