"""`polyvox serve`: the production web server (gunicorn), after collecting the static files."""

import os
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

# Apache's combined format plus the request time in microseconds (%(D)s), which the deadline-rush
# benchmark reads to say where the time goes.
ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s'
WSGI_APPLICATION = "polyvox.config.wsgi:application"
SHARED_MEMORY = Path("/dev/shm")  # noqa: S108 — gunicorn's advice for --worker-tmp-dir


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity), else the machine's."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def default_workers() -> int:
    """gunicorn's advice for its synchronous workers: 2 x cores + 1."""
    return 2 * available_cores() + 1


def gunicorn_arguments(
    *, bind: str, workers: int, threads: int, timeout: int, access_log: str
) -> list[str]:
    """The gunicorn command line (`python -m gunicorn …`) for these choices."""
    arguments = [
        sys.executable,
        "-m",
        "gunicorn",
        WSGI_APPLICATION,
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        # Longer than the database's statement timeout, so a slow query fails as a 503 first.
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        "30",
        "--keep-alive",
        "5",
        # Import the application once in the arbiter: a killed worker is replaced in a moment.
        "--preload",
        "--error-logfile",
        "-",
    ]
    if SHARED_MEMORY.is_dir():  # the heartbeat file off a possibly slow disk
        arguments += ["--worker-tmp-dir", str(SHARED_MEMORY)]
    if access_log:
        arguments += ["--access-logfile", access_log, "--access-logformat", ACCESS_LOG_FORMAT]
    return arguments


class Command(BaseCommand):
    help = (
        "Serve Polyvox in production with gunicorn: refuses DEBUG and the development secret "
        "key (unless --insecure), collects the static files, then replaces itself with "
        "gunicorn's arbiter (signals reach it: TERM stops gracefully, HUP reloads). The access "
        "log goes to $POLYVOX_ACCESS_LOG when set ('-' for standard output)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--bind", default="127.0.0.1:8000", help="address:port or unix:PATH (127.0.0.1:8000)"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=f"worker processes (default 2 x cores + 1, here {default_workers()})",
        )
        parser.add_argument("--threads", type=int, default=1, help="threads per worker (default 1)")
        parser.add_argument(
            "--timeout", type=int, default=60, help="seconds before a silent worker is restarted"
        )
        parser.add_argument(
            "--insecure",
            action="store_true",
            help="allow DEBUG and the development secret key (local trials only)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["insecure"]:
            refuse_insecure_settings()
        workers = options["workers"] or default_workers()
        if workers < 1 or options["threads"] < 1 or options["timeout"] < 1:
            raise CommandError("--workers, --threads and --timeout must be at least 1.")
        call_command("collectstatic", interactive=False, verbosity=0)
        site_url = site_url_for(options["bind"], os.environ.get("POLYVOX_SITE_URL", ""))
        if site_url:
            # E-mail links are built from SITE_URL: without POLYVOX_SITE_URL, the address served
            # on (not the default port 8000). gunicorn's workers inherit the environment.
            os.environ["POLYVOX_SITE_URL"] = site_url
            self.stdout.write(
                f"E-mail links point at {site_url} (set POLYVOX_SITE_URL to the public address)."
            )
        arguments = gunicorn_arguments(
            bind=options["bind"],
            workers=workers,
            threads=options["threads"],
            timeout=options["timeout"],
            access_log=os.environ.get("POLYVOX_ACCESS_LOG", ""),
        )
        self.stdout.write(f"Starting gunicorn on {options['bind']} with {workers} workers.")
        self.stdout.flush()
        connections.close_all()
        os.execv(sys.executable, arguments)  # noqa: S606 — our own interpreter, fixed arguments


def site_url_for(bind: str, configured: str) -> str:
    """The site URL to give the web workers when POLYVOX_SITE_URL is not `configured`: the
    address served on (`127.0.0.1` for an all-interfaces bind); "" to keep the configured one,
    or for a Unix socket, which has no URL."""
    if configured.strip() or bind.startswith("unix:"):
        return ""
    host, _colon, port = bind.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if host in ("0.0.0.0", "::"):  # noqa: S104 — naming the bind address, not binding to it
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}" if port.isdigit() else ""


def refuse_insecure_settings() -> None:
    """Production never runs with DEBUG or a known secret key."""
    problems = []
    if settings.DEBUG:
        problems.append("DEBUG is on (unset POLYVOX_DEBUG or set it to 0)")
    if not settings.SECRET_KEY or settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        problems.append(
            "the secret key is the development one (set POLYVOX_SECRET_KEY to a long random "
            "value, e.g. from `python -c 'import secrets; print(secrets.token_urlsafe(50))'`)"
        )
    if problems:
        raise CommandError(
            "Refusing to serve in production: "
            + "; ".join(problems)
            + ". See docs/deploy.md, or pass --insecure for a local trial."
        )
