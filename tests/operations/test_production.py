"""Production mode as an operator runs it: `polyvox serve` (real gunicorn), `polyvox worker`,
`check --deploy` under the environment docs/deploy.md shows, compressed pages and static files,
and a database that does not answer (a closed port, a server that never replies): 503 with
Retry-After, never a 500 or a hang."""

import gzip
import json
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from polyvox.operations.management.commands.serve import (
    SHARED_MEMORY,
    default_workers,
    gunicorn_arguments,
)
from tests.factories import ProcessFactory

ROOT = Path(__file__).resolve().parents[2]
DEPLOY_DOC = ROOT / "docs/deploy.md"

# Tables from the models (as Django's test runner builds them without migrations): seconds,
# where running every migration takes a minute. Enough for the worker's record and task tables.
SCHEMA_SCRIPT = """
import django
from django.conf import settings

class NoMigrations(dict):
    def __contains__(self, item):
        return True

    def __getitem__(self, item):
        return None

settings.MIGRATION_MODULES = NoMigrations()
django.setup()
from django.core.management import call_command
call_command("migrate", run_syncdb=True, verbosity=0)
"""


# Helpers -----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def production_env(data_dir: Path, **overrides: str) -> dict[str, str]:
    """A clean environment with the production settings module (no POLYVOX_* of the caller)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLYVOX_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="polyvox.config.settings",
        POLYVOX_DATA_DIR=str(data_dir),
        POLYVOX_RECORD_KEY_FILE=str(data_dir / "record-signing.key"),
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


def manage(
    env: dict[str, str], *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def python(env: dict[str, str], script: str, timeout: float = 120) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def get(
    url: str, headers: dict[str, str] | None = None, timeout: float = 20
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 — our own server
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            get(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answered at {url} within {seconds} s")


def documented_production_env() -> dict[str, str]:
    """The variables of the environment file docs/deploy.md shows (/etc/polyvox/polyvox.env)."""
    text = DEPLOY_DOC.read_text()
    block = re.search(r"```(?:ini|sh|bash)?\n# /etc/polyvox/polyvox\.env\n(.*?)```", text, re.S)
    assert block, "docs/deploy.md shows no /etc/polyvox/polyvox.env block"
    variables = {}
    for line in block.group(1).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            variables[name] = value
    return variables


# `polyvox serve` ---------------------------------------------------------------------------------


def test_serve_refuses_debug(settings: Any) -> None:
    settings.DEBUG = True
    settings.SECRET_KEY = secrets.token_urlsafe(50)

    with pytest.raises(CommandError, match="DEBUG is on"):
        call_command("serve")


def test_serve_refuses_the_development_secret_key(settings: Any) -> None:
    settings.DEBUG = False
    settings.SECRET_KEY = settings.DEVELOPMENT_SECRET_KEY

    with pytest.raises(CommandError, match="secret key is the development one"):
        call_command("serve")


def test_serve_starts_two_workers_per_core_plus_one_and_logs_request_times() -> None:
    arguments = gunicorn_arguments(
        bind="127.0.0.1:9", workers=default_workers(), threads=1, timeout=60, access_log="-"
    )

    assert arguments[arguments.index("--workers") + 1] == str(2 * len(os.sched_getaffinity(0)) + 1)
    assert "%(D)s" in arguments[arguments.index("--access-logformat") + 1]
    if SHARED_MEMORY.is_dir():
        assert arguments[arguments.index("--worker-tmp-dir") + 1] == str(SHARED_MEMORY)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """`polyvox serve` (gunicorn, 2 workers) with the production settings, and a database on a
    port where nothing listens: what a web host sees while PostgreSQL is down."""
    data_dir = tmp_path_factory.mktemp("served")
    port = free_port()
    closed = free_port()
    env = production_env(
        data_dir,
        POLYVOX_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"postgres://polyvox:polyvox@127.0.0.1:{closed}/polyvox",
        POLYVOX_ACCESS_LOG=str(data_dir / "access.log"),
    )
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # `serve` first collects and compresses (gzip, brotli) every static file: about 40 s on
        # 2 cores, longer when the machine is busy. Waiting is not what this measures.
        wait_for(f"http://127.0.0.1:{port}/healthz", seconds=240)
        yield {"url": f"http://127.0.0.1:{port}", "server": server, "data_dir": data_dir}
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_served_health_answers_without_a_database(served: dict[str, Any]) -> None:
    status, _, body = get(served["url"] + "/healthz")

    assert (status, body) == (200, b"ok\n")


def test_served_readiness_says_the_database_is_unavailable(served: dict[str, Any]) -> None:
    status, _, body = get(served["url"] + "/readyz")

    assert status == 503
    assert b"database unavailable" in body


def test_served_page_without_a_database_is_a_503_with_retry_after(served: dict[str, Any]) -> None:
    status, headers, body = get(served["url"] + "/", headers={"Accept-Language": "en"})

    assert status == 503
    assert headers["Retry-After"] == "5"
    assert b"Temporarily unavailable" in body


def test_served_api_without_a_database_answers_json_503(served: dict[str, Any]) -> None:
    status, headers, body = get(served["url"] + "/api/v1/processes")

    assert status == 503
    assert headers["Retry-After"] == "5"
    assert headers["Content-Type"].startswith("application/json")
    assert json.loads(body) == {"error": "The database is unavailable. Try again in a few seconds."}


def test_served_signed_in_visitor_without_a_database_gets_503_not_500(
    served: dict[str, Any],
) -> None:
    # The session is read by middleware (the viewer's time zone), before any view runs.
    status, headers, _ = get(served["url"] + "/", headers={"Cookie": "sessionid=abc123"})

    assert status == 503
    assert headers["Retry-After"] == "5"


def test_served_static_files_are_hashed_compressed_and_cached_for_ever(
    served: dict[str, Any],
) -> None:
    manifest = json.loads((served["data_dir"] / "static/staticfiles.json").read_text())
    hashed = manifest["paths"]["css/polyvox.css"]

    status, headers, body = get(
        served["url"] + "/static/" + hashed, headers={"Accept-Encoding": "gzip"}
    )

    assert status == 200
    assert re.fullmatch(r"css/polyvox\.[0-9a-f]{12}\.css", hashed)
    assert "immutable" in headers["Cache-Control"]
    assert int(re.search(r"max-age=(\d+)", headers["Cache-Control"]).group(1)) >= 365 * 86400
    assert headers["Content-Encoding"] == "gzip"
    assert b".skip-link" in gzip.decompress(body)


def test_served_requests_are_logged_with_their_time_in_microseconds(
    served: dict[str, Any],
) -> None:
    get(served["url"] + "/healthz?logged")
    time.sleep(0.5)

    lines = (served["data_dir"] / "access.log").read_text().splitlines()

    logged = [line for line in lines if "/healthz?logged" in line]
    assert logged
    assert re.search(r'"GET /healthz\?logged HTTP/1\.[01]" 200 \d+ ".*" ".*" \d+$', logged[-1])


def test_served_stops_gracefully_on_sigterm(served: dict[str, Any]) -> None:
    server = served["server"]

    server.send_signal(signal.SIGTERM)

    assert server.wait(timeout=40) == 0


def test_a_database_that_never_answers_gives_a_503_after_the_connect_timeout(
    tmp_path: Path,
) -> None:
    """A host that accepts connections and says nothing (a hung server, a firewall): the request
    ends after POLYVOX_DB_CONNECT_TIMEOUT seconds with a 503, not when the client gives up."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        port = silent.getsockname()[1]
        env = production_env(
            tmp_path,
            POLYVOX_SECRET_KEY=secrets.token_urlsafe(50),
            DATABASE_URL=f"postgres://polyvox:polyvox@127.0.0.1:{port}/polyvox",
            POLYVOX_DB_CONNECT_TIMEOUT="2",
        )
        out = python(
            env,
            "import django, json, time\n"
            "django.setup()\n"
            "from django.test import Client\n"
            "client = Client(raise_request_exception=False)\n"
            "client.get('/api/v1/processes')  # the first request also imports the views\n"
            "started = time.monotonic()\n"
            "response = client.get('/api/v1/processes')\n"
            "print(json.dumps([response.status_code, response.get('Retry-After'),"
            " time.monotonic() - started]))\n",
        )
    status, retry_after, seconds = json.loads(out.strip().splitlines()[-1])

    assert (status, retry_after) == (503, "5")
    assert 1.5 <= seconds < 8  # the 2 s connect timeout, not the client's patience


# Settings ----------------------------------------------------------------------------------------


def test_check_deploy_is_clean_under_the_documented_production_environment(
    tmp_path: Path,
) -> None:
    documented = documented_production_env()
    documented["POLYVOX_SECRET_KEY"] = secrets.token_urlsafe(50)  # the doc says how to make one
    env = production_env(tmp_path, **documented)
    env["POLYVOX_DATA_DIR"] = str(tmp_path)  # not /var/lib/polyvox on the test machine
    env["POLYVOX_MEDIA_ROOT"] = str(tmp_path / "media")

    done = manage(env, "check", "--deploy", "--fail-level", "WARNING")

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_check_deploy_without_that_environment_names_what_is_missing(tmp_path: Path) -> None:
    done = manage(production_env(tmp_path), "check", "--deploy")

    warnings = set(re.findall(r"\(security\.(W\d+)\)", done.stderr + done.stdout))
    # HSTS, the HTTPS redirect, the secret key, the session and CSRF cookies.
    assert warnings == {"W004", "W008", "W009", "W012", "W016"}


def test_debug_is_off_unless_asked_for(tmp_path: Path) -> None:
    script = (
        "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    )

    assert python(production_env(tmp_path), script).strip() == "False"
    assert python(production_env(tmp_path, POLYVOX_DEBUG="1"), script).strip() == "True"


def test_the_proxy_header_and_trusted_origins_come_from_the_environment(tmp_path: Path) -> None:
    env = production_env(
        tmp_path,
        POLYVOX_PROXY_SSL_HEADER="X-Forwarded-Proto",
        POLYVOX_CSRF_TRUSTED_ORIGINS="https://a.example,https://b.example",
        DATABASE_URL="postgres://u:p@db.example:5432/polyvox",
        POLYVOX_DB_CONN_MAX_AGE="60",
    )
    script = (
        "import django, json; django.setup(); from django.conf import settings as s\n"
        "db = s.DATABASES['default']\n"
        "print(json.dumps([s.SECURE_PROXY_SSL_HEADER, s.CSRF_TRUSTED_ORIGINS, db['CONN_MAX_AGE'],"
        " db['CONN_HEALTH_CHECKS'], db['OPTIONS']]))"
    )

    proxy, origins, max_age, health_checks, options = json.loads(python(env, script))

    assert proxy == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert origins == ["https://a.example", "https://b.example"]
    assert (max_age, health_checks) == (60, True)
    assert options["connect_timeout"] == 5
    assert options["options"] == "-c statement_timeout=30000"


# Compressed pages --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_are_gzip_compressed_when_the_browser_accepts_it() -> None:
    ProcessFactory(title="Universal acceptance of domain names " * 5)

    response = Client().get("/", HTTP_ACCEPT_ENCODING="gzip, br")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert b"Universal acceptance" in gzip.decompress(response.content)
    assert "Accept-Encoding" in response["Vary"]


@pytest.mark.django_db
def test_pages_are_plain_for_a_client_that_does_not_accept_gzip() -> None:
    response = Client().get("/")

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


# `polyvox worker` --------------------------------------------------------------------------------

SEED_SCRIPT = """
import django, sys
django.setup()
from polyvox.processes.models import Process
from polyvox.record.services import append_entry
from tests.factories import ProcessFactory

process = Process.objects.filter(slug="worker-test").first() or ProcessFactory(slug="worker-test")
for n in range(int(sys.argv[1]), int(sys.argv[2])):
    append_entry(process=process, kind="test.entry", payload={"n": n})
"""

CHECK_SCRIPT = """
import django, json
django.setup()
from polyvox.processes.models import Process
from polyvox.record.entries import leaf_bytes
from polyvox.record.keys import load_signer
from polyvox.record.merkle import leaf_hash, root_from_leaf_hashes
from polyvox.record.models import RecordCheckpoint, RecordEntry, RecordLog
from polyvox.record.notes import parse_verifier_key, verify_checkpoint

process = Process.objects.get(slug="worker-test")
entries = list(RecordEntry.objects.filter(process=process).order_by("index"))
log = RecordLog.objects.get(process=process)
root = root_from_leaf_hashes(
    [leaf_hash(leaf_bytes({f: getattr(e, f) for f in ("index", "kind", "recorded_at", "payload")}))
     for e in entries]
)
latest = RecordCheckpoint.objects.filter(process=process).order_by("-tree_size").first()
signed = verify_checkpoint(latest.note, parse_verifier_key(load_signer().verifier_key()))
print(json.dumps({
    "indices": [e.index for e in entries],
    "numbers": sorted(e.payload["n"] for e in entries if e.kind == "test.entry"),
    "tree_size": log.tree_size,
    "root_matches": bytes(log.root_hash) == root,
    "checkpoint_size": signed.size,
    "checkpoint_root_matches": signed.root_hash == root,
}))
"""


@pytest.fixture
def worker_site(tmp_path: Path) -> dict[str, str]:
    """A SQLite site with its tables and a signing key, as the worker finds it in production."""
    env = production_env(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'polyvox.sqlite3'}",
        POLYVOX_RECORD_INTEGRATE_INTERVAL="0.2",
    )
    python(env, SCHEMA_SCRIPT)
    keygen = manage(env, "record", "keygen")
    assert keygen.returncode == 0, keygen.stderr
    return env


def pending(env: dict[str, str]) -> int:
    path = env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path, timeout=10) as db:
        return int(
            db.execute('SELECT count(*) FROM record_recordentry WHERE "index" IS NULL').fetchone()[
                0
            ]
        )


def start_worker(env: dict[str, str], *options: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", *options],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until_integrated(env: dict[str, str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while pending(env):
        assert time.monotonic() < deadline, f"{pending(env)} entries still pending"
        time.sleep(0.2)


def test_worker_integrates_the_record_and_stops_on_sigterm(worker_site: dict[str, str]) -> None:
    python(worker_site, SEED_SCRIPT.replace("sys.argv[1]", "0").replace("sys.argv[2]", "30"))
    worker = start_worker(worker_site)
    try:
        wait_until_integrated(worker_site)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
    output = worker.stdout.read() if worker.stdout else ""

    result = json.loads(python(worker_site, CHECK_SCRIPT))

    assert "Record integrator started" in output
    assert "Worker stopped." in output
    assert result["numbers"] == list(range(30))
    assert result["indices"] == list(range(result["tree_size"]))
    assert result["root_matches"]
    assert result["checkpoint_size"] == result["tree_size"]
    assert result["checkpoint_root_matches"]


def test_a_worker_killed_with_sigkill_loses_nothing_and_the_next_one_resumes(
    worker_site: dict[str, str],
) -> None:
    seed = SEED_SCRIPT.replace("sys.argv[1]", "0").replace("sys.argv[2]", "400")
    python(worker_site, seed)
    worker = start_worker(worker_site, "--batch-size", "40")
    # Killed once its first batch is in, while the backlog is being worked through: each batch
    # is one transaction, written wholly or not at all.
    deadline = time.monotonic() + 60
    while pending(worker_site) >= 400 and time.monotonic() < deadline:
        time.sleep(0.02)
    worker.kill()
    worker.wait()
    assert pending(worker_site) < 400
    more = SEED_SCRIPT.replace("sys.argv[1]", "400").replace("sys.argv[2]", "450")
    python(worker_site, more)  # accepted while no worker runs: pending, not lost

    restarted = start_worker(worker_site)
    try:
        wait_until_integrated(worker_site)
    finally:
        restarted.send_signal(signal.SIGTERM)
        restarted.wait(timeout=30)
    result = json.loads(python(worker_site, CHECK_SCRIPT))

    assert result["numbers"] == list(range(450))  # every entry once
    assert result["indices"] == list(range(result["tree_size"]))  # no gap, no repeat
    assert result["root_matches"]
    assert result["checkpoint_size"] == result["tree_size"]
    assert result["checkpoint_root_matches"]
