"""Deadline-rush benchmark: N participants submit at once through the API, before vs after issue 11.

For each code variant (`--baseline`, default 4f0e580: the process-row lock, counted tracking
numbers, the hash chain; and this tree), in a fresh PostgreSQL database next to DATABASE_URL
(dropped afterwards; its role needs CREATEDB): migrate, seed one process in an open call for
inputs and one signed-in participant per client (bench/rush_seed.py), then start the production
stack with DEBUG off, a real SECRET_KEY, a signing key in a temp dir and e-mail to a real SMTP
sink on loopback: `polyvox serve` and `polyvox worker` for this tree; gunicorn (same worker count)
and django-tasks' db_worker for the baseline, whose code is taken with `git archive`.

N clients (bench/rush_clients.py) then send submissions for `--seconds`, closed loop, each with a
fresh Idempotency-Key, a tenth sent twice at once with one key; 503s and broken connections are
retried with the same key after Retry-After. The table gives accepted submissions per second and
the latency of a submission (first send to acknowledgement, retries included). Then the proofs:
every acknowledged submission is stored exactly once under the tracking number its client was
told (both twins told the same), one receipt e-mail each, and — for this tree — once the
integrator has taken everything in, `polyvox record export` verifies with `polyvox record verify
--checkpoint --key` and holds each acknowledged submission exactly once.

`--faults` adds a run of this tree during which one gunicorn worker and the worker are killed
with SIGKILL (the worker is restarted, as systemd would) and PostgreSQL is restarted; it then
runs on a throw-away cluster of its own (initdb in a temp dir), so that the restart disturbs no
one else on the machine. The same proofs follow.

`bash scripts/with-postgres.sh .venv/bin/python -m bench deadline-rush [--clients 100,500]
[--seconds 20] [--workers N] [--faults] [--baseline 4f0e580 | none] [--profile]`
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.rush_clients import LoadResult, warm
from bench.rush_servers import (
    POLYVOX,
    CpuMeter,
    PrivateCluster,
    Services,
    create_database,
    drop_database,
    free_port,
    postmaster_of,
)

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "4f0e580"
ACCESS_LINE = re.compile(r'"POST [^"]*/submissions[^"]*" (\d{3}) .* (\d+)$')
MAX_MERGE_WAIT = 30.0
MAX_MAIL_WAIT = 60.0  # seconds to wait for the integrator before calling the log incomplete
SETTINGS = '''"""The deadline rush's settings: the deployment's, with e-mail to the SMTP sink."""
import os

from polyvox.config.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["RUSH_SMTP_PORT"])
'''


def default_workers() -> int:
    """Gunicorn's advice, 2 x cores + 1, as `polyvox serve` uses by default."""
    return 2 * len(os.sched_getaffinity(0)) + 1


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 1000) - 1]


@dataclass
class RunReport:
    """One load run: the figures, where the time went, and every check that failed."""

    variant: str
    clients: int
    seconds: float
    faults: list[str] = field(default_factory=list)
    acknowledged: int = 0
    accepted_per_s: float = 0.0
    p50: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    status_503: int = 0
    hangs: int = 0
    connection_errors: int = 0
    other_5xx: int = 0
    unanswered: int = 0
    lost: int = 0
    duplicated: int = 0
    twins: int = 0
    twins_disagree: int = 0
    receipts_missing: int = 0
    receipts_extra: int = 0
    log_checked: bool = False
    log_missing: int = 0
    log_duplicated: int = 0
    merge_seconds: float | None = None
    mail_seconds: float | None = None
    worker_restarts: int = 0
    load_average: tuple[float, float] = (0.0, 0.0)  # 1-minute load at the start and the end
    cpu: dict[str, float] = field(default_factory=dict)
    server_ms: dict[str, float] = field(default_factory=dict)
    client_ms: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _git_archive(revision: str, into: Path) -> Path:
    into.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "polyvox"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


class Stack:
    """One variant's database and services; `run()` drives one load and checks it."""

    def __init__(
        self,
        *,
        variant: str,
        code: Path,
        server_url: str,
        clients: int,
        workers: int,
        cluster: PrivateCluster | None = None,
    ) -> None:
        self.variant, self.code, self.server_url = variant, code, server_url
        self.current = code == ROOT
        self.cluster = cluster
        self.work = Path(tempfile.mkdtemp(prefix=f"polyvox-rush-{variant}-"))
        self.db_name = f"polyvox_rush_{variant}_{os.getpid()}"
        self.db_url = create_database(server_url, self.db_name)
        port = free_port()
        (self.work / "rush_settings.py").write_text(SETTINGS)
        keys = self.work / "keys"
        keys.mkdir(mode=0o700)
        env = {
            **os.environ,
            "DATABASE_URL": self.db_url,
            "DJANGO_SETTINGS_MODULE": "rush_settings",
            "PYTHONPATH": os.pathsep.join([str(self.work), str(code), str(ROOT)]),
            "POLYVOX_DEBUG": "0",
            "POLYVOX_SECRET_KEY": secrets.token_urlsafe(50),
            "POLYVOX_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "POLYVOX_SITE_URL": f"http://127.0.0.1:{port}",
            "POLYVOX_DATA_DIR": str(self.work / "data"),
            "POLYVOX_MEDIA_ROOT": str(self.work / "media"),
            "POLYVOX_RECORD_KEY_FILE": str(keys / "record-signing.key"),
            "POLYVOX_ACCESS_LOG": str(self.work / "access.log"),
            "RUSH_SMTP_PORT": str(free_port()),
        }
        self.services = Services(
            code=code, current=self.current, env=env, port=port, workers=workers, work=self.work
        )
        self.runs = 0
        try:
            self._prepare(clients)
        except BaseException:
            self.close()
            raise

    def _cmd(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [sys.executable, *args], env=self.services.env, cwd=self.code,
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if check and proc.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed: {proc.stderr.strip()[-2000:]}")
        return proc

    def _prepare(self, clients: int) -> None:
        """Seed while the web server starts and warms up (each takes seconds of imports)."""
        if self.current:
            self._write_signing_key()
        self.services.start_smtp()
        self.services.start_web(wait=False)
        seeding = subprocess.Popen(
            [sys.executable, "-m", "bench.rush_seed", "seed", "--clients", str(clients)],
            env=self.services.env, cwd=self.code, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        out, err = seeding.communicate()
        if seeding.returncode:
            raise RuntimeError(f"seeding failed: {err.strip()[-2000:]}")
        self.seed: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
        if self.seed["debug"]:
            raise RuntimeError("DEBUG is on; the benchmark measures with DEBUG off")
        self.services.start_worker()
        self.services.wait_web()
        self.warm_up = warm(
            f"{self.services.base}/api/v1/processes/{self.seed['slug']}/campaigns",
            2 * self.services.workers,
        )

    def _write_signing_key(self) -> None:
        """What `polyvox record keygen` writes (C2SP private key line, mode 0600), without
        starting Django for it: the key's name is the site's host, as the settings default."""
        from polyvox.record.notes import generate_signer_key

        path = Path(self.services.env["POLYVOX_RECORD_KEY_FILE"])
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(generate_signer_key(f"127.0.0.1:{self.services.port}") + "\n")

    def postmaster(self) -> list[int]:
        if self.cluster is not None:
            pid = self.cluster.postmaster()
            return [pid] if pid else []
        return self._postmaster

    def run(
        self, clients: int, seconds: float, *, faults: bool = False, postgres_restart: bool = True
    ) -> RunReport:
        from bench.rush_clients import drive

        self.runs += 1
        run_id = f"{self.variant[0]}{self.runs}x{clients}"
        report = RunReport(self.variant, clients, seconds)
        self._postmaster = [] if self.cluster else [p for p in [postmaster_of(self.db_url)] if p]
        meter = CpuMeter({**self.services.anchors(), "PostgreSQL": self.postmaster})
        log_start = self._log_size()
        restarts_before = self.services.worker_restarts
        fault_thread = None
        if faults:
            fault_thread = threading.Thread(
                target=self._faults, args=(seconds, report, postgres_restart), daemon=True
            )
        load_before = os.getloadavg()[0]
        meter.start()
        if fault_thread:
            fault_thread.start()
        load = drive(
            self.services.base, self.seed["slug"], run_id, self.seed["clients"][:clients],
            self.seed["session_cookie"], seconds,
        )  # fmt: skip
        report.cpu = meter.stop()
        report.load_average = (load_before, os.getloadavg()[0])
        if fault_thread:
            fault_thread.join()
        report.worker_restarts = self.services.worker_restarts - restarts_before
        self._figures(report, load)
        self._server_times(report, load, log_start)
        self._check_storage(report, load, run_id)
        self._check_receipts(report, load)
        self._check_log(report, load)
        return report

    # faults --------------------------------------------------------------------------------------

    def _faults(self, seconds: float, report: RunReport, postgres_restart: bool) -> None:
        started = time.monotonic()

        def at(fraction: float) -> float:
            time.sleep(max(0.0, started + seconds * fraction - time.monotonic()))
            return time.monotonic() - started

        t = at(0.2)
        pid = self.services.kill_web_worker()
        report.faults.append(f"{t:.1f} s: kill -9 gunicorn worker {pid}")
        t = at(0.4)
        pid = self.services.kill_worker()
        report.faults.append(f"{t:.1f} s: kill -9 worker {pid} (restarted after 1 s)")
        if not postgres_restart:
            return
        t = at(0.6)
        if self.cluster is None:
            report.notes.append("PostgreSQL not restarted: no private cluster")
            return
        self.cluster.restart()
        report.faults.append(f"{t:.1f} s: PostgreSQL restarted (fast), back after "
                             f"{time.monotonic() - started - t:.1f} s")  # fmt: skip

    # figures -------------------------------------------------------------------------------------

    def _figures(self, report: RunReport, load: LoadResult) -> None:
        acked = [s for s in load.submissions if s.acked_at is not None]
        report.acknowledged = len(acked)
        report.accepted_per_s = len(acked) / max(load.finished - load.started, 1e-9)
        latencies = sorted(s.acked_at - s.started for s in acked if s.acked_at is not None)
        report.p50, report.p95, report.p99 = (_percentile(latencies, q) for q in (0.5, 0.95, 0.99))
        statuses = Counter(a.status for s in load.submissions for a in s.attempts)
        report.status_503 = statuses[503]
        report.hangs = statuses[-1]
        report.connection_errors = statuses[0]
        report.other_5xx = sum(n for code, n in statuses.items() if code >= 500 and code != 503)
        refused = {code: n for code, n in statuses.items() if 400 <= code < 500}
        if refused:
            report.problems.append(f"requests refused: {refused}")
        report.unanswered = sum(1 for s in load.submissions if s.acked_at is None)
        report.twins = sum(1 for s in load.submissions if s.twin)
        attempts = [
            a.seconds for s in load.submissions for a in s.attempts if a.status in (200, 201)
        ]
        report.client_ms = {
            "p50": 1000 * _percentile(sorted(attempts), 0.5),
            "p99": 1000 * _percentile(sorted(attempts), 0.99),
            "mean": 1000 * statistics.fmean(attempts) if attempts else float("nan"),
        }

    def _log_size(self) -> int:
        path = self.services.access_log
        return path.stat().st_size if path.exists() else 0

    def _server_times(self, report: RunReport, load: LoadResult, start: int) -> None:
        """Server time per answered submission request (gunicorn's %(D)s, microseconds)."""
        path = self.services.access_log
        if not path.exists():
            report.notes.append("no access log: server time per request not measured")
            return
        with path.open("rb") as handle:
            handle.seek(start)
            lines = handle.read().decode("utf-8", "replace").splitlines()
        times = [
            int(m.group(2)) / 1000
            for m in (ACCESS_LINE.search(line) for line in lines)
            if m and m.group(1) in ("200", "201")
        ]
        if not times:
            report.notes.append("access log holds no submission lines in the expected format")
            return
        times.sort()
        report.server_ms = {
            "p50": _percentile(times, 0.5),
            "p99": _percentile(times, 0.99),
            "mean": statistics.fmean(times),
        }

    # proofs --------------------------------------------------------------------------------------

    def _query(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        import psycopg

        for attempt in range(20):  # the server may still be coming back from a restart
            try:
                with psycopg.connect(self.db_url) as conn:
                    return list(conn.execute(sql, params).fetchall())
            except psycopg.OperationalError:
                if attempt == 19:
                    raise
                time.sleep(0.5)
        return []

    def _check_storage(self, report: RunReport, load: LoadResult, run_id: str) -> None:
        process_id = self.seed["process_id"]
        stored = dict(
            self._query(
                "SELECT i.idempotency_key, c.tracking_number FROM campaigns_submissionintake i "
                "JOIN contributions_contribution c ON c.id = i.contribution_id "
                "WHERE i.process_id = %s AND i.idempotency_key LIKE %s",
                (process_id, run_id + "-%"),
            )
        )
        copies = dict(
            self._query(
                "SELECT substring(body from 'key=([^ .]+)'), count(*) "
                "FROM contributions_contribution WHERE process_id = %s AND body LIKE %s GROUP BY 1",
                (process_id, f"Submission key={run_id}-%"),
            )
        )
        for s in load.submissions:
            told = {a for a in s.answers if a is not None}
            if len(told) > 1:
                report.twins_disagree += 1
            if copies.get(s.key, 0) > 1 or s.created > 1:
                report.duplicated += 1
            if told and (s.key not in stored or stored[s.key] not in told):
                report.lost += 1
        extra = set(copies) - {s.key for s in load.submissions}
        if extra:
            report.problems.append(f"{len(extra)} stored submissions no client sent")
        for name in ("lost", "duplicated", "twins_disagree", "hangs"):
            if getattr(report, name):
                report.problems.append(f"{name}: {getattr(report, name)}")

    def _receipts(self) -> Counter[tuple[str, str]]:
        path = self.services.mail_file
        found: Counter[tuple[str, str]] = Counter()
        if path.exists():
            for line in path.read_text().splitlines():
                mail = json.loads(line)
                number = re.search(r"(\S+)$", mail["subject"])
                for to in mail["to"]:
                    found[(to, number.group(1) if number else "")] += 1
        return found

    def _check_receipts(self, report: RunReport, load: LoadResult) -> None:
        """One receipt e-mail per acknowledged submission, to its author, naming its number
        (sent by the worker in this tree: wait until they have all come, or MAX_MAIL_WAIT)."""
        emails = {i: c["email"] for i, c in enumerate(self.seed["clients"])}
        expected = {
            (emails[s.client], n)
            for s in load.submissions
            for n in {a for a in s.answers if a is not None}
        }
        started = time.monotonic()
        receipts = self._receipts()
        while not expected <= set(receipts) and time.monotonic() - started < MAX_MAIL_WAIT:
            time.sleep(0.5)
            receipts = self._receipts()
        report.mail_seconds = time.monotonic() - started
        for s in load.submissions:
            number = next((a for a in s.answers if a is not None), None)
            if number is None:
                continue
            n = receipts.get((emails[s.client], number), 0)
            report.receipts_missing += n == 0
            report.receipts_extra += max(0, n - 1)
        if report.receipts_extra:
            report.problems.append(f"{report.receipts_extra} receipts sent twice")
        if report.receipts_missing and not report.faults:
            report.problems.append(f"{report.receipts_missing} receipts missing")

    def _check_log(self, report: RunReport, load: LoadResult) -> None:
        numbers = [
            next(a for a in s.answers if a is not None)
            for s in load.submissions
            if any(a is not None for a in s.answers)
        ]
        process_id = self.seed["process_id"]
        if not self.current:
            counts = dict(
                self._query(
                    "SELECT payload->>'tracking_number', count(*) FROM record_recordentry "
                    "WHERE process_id = %s AND kind = 'contribution.submitted' GROUP BY 1",
                    (process_id,),
                )
            )
            self._count_entries(report, numbers, counts)
            return
        started = time.monotonic()
        while True:
            pending, behind = self._query(
                "SELECT (SELECT count(*) FROM record_recordentry WHERE process_id = %s "
                "AND index IS NULL), (SELECT count(*) FROM record_recordlog l WHERE "
                "l.process_id = %s AND NOT EXISTS (SELECT 1 FROM record_recordcheckpoint c "
                "WHERE c.process_id = l.process_id AND c.tree_size = l.tree_size))",
                (process_id, process_id),
            )[0]
            if not pending and not behind:
                break
            if time.monotonic() - started > MAX_MERGE_WAIT:
                report.problems.append(f"{pending} entries still pending after {MAX_MERGE_WAIT} s")
                return
            time.sleep(0.1)
        report.merge_seconds = time.monotonic() - started
        self._verify_export(report, numbers)

    def _count_entries(self, report: RunReport, numbers: list[str], counts: dict[str, int]) -> None:
        report.log_checked = True
        report.log_missing = sum(1 for n in numbers if counts.get(n, 0) == 0)
        report.log_duplicated = sum(1 for n in numbers if counts.get(n, 0) > 1)
        if report.log_missing or report.log_duplicated:
            report.problems.append(
                f"record: {report.log_missing} missing, {report.log_duplicated} twice"
            )

    def _verify_export(self, report: RunReport, numbers: list[str]) -> None:
        """The signed checkpoint and key as the API publishes them; export; verify offline."""
        base, slug = self.services.base, self.seed["slug"]
        try:
            with urllib.request.urlopen(f"{base}/api/v1/processes/{slug}/record/checkpoint") as r:  # noqa: S310
                checkpoint = r.read().decode()
            with urllib.request.urlopen(f"{base}/api/v1/record/key") as r:  # noqa: S310
                key = r.read().decode().strip()
        except OSError as error:
            report.problems.append(f"record: checkpoint or key not published ({error})")
            return
        size = checkpoint.split("\n")[1]
        (self.work / "checkpoint.txt").write_text(checkpoint)
        export = self.work / "record.jsonl"
        # `export | tee FILE | verify -`: both commands start at once (each takes seconds).
        polyvox = " ".join(shlex.quote(a) for a in [sys.executable, *POLYVOX])
        pipeline = (
            f"set -o pipefail; {polyvox} record export {shlex.quote(slug)} --tree-size {size} "
            f"| tee {export} | {polyvox} record verify - --checkpoint "
            f"{self.work / 'checkpoint.txt'} --key {shlex.quote(key)}"
        )
        verified = subprocess.run(
            ["bash", "-c", pipeline], env=self.services.env, cwd=self.code,
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if verified.returncode:
            report.problems.append(
                f"record export | verify failed: {(verified.stderr or verified.stdout)[-400:]}"
            )
        report.notes.append(f"record verify: {verified.stdout.strip()[-200:]}")
        exported = export.read_text() if export.exists() else ""
        counts: Counter[str] = Counter(
            entry["payload"].get("tracking_number")
            for entry in map(json.loads, exported.splitlines())
            if entry["kind"] == "contribution.submitted"
        )
        self._count_entries(report, numbers, dict(counts))

    def close(self) -> None:
        self.services.close()
        try:
            drop_database(self.server_url, self.db_name)
        except Exception as error:  # cleanup: say it, go on
            print(f"could not drop {self.db_name}: {error}", file=sys.stderr)
        shutil.rmtree(self.work, ignore_errors=True)

    def __enter__(self) -> Stack:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# output ------------------------------------------------------------------------------------------


def print_table(reports: list[RunReport]) -> None:
    print(
        f"{'code':<9} {'clients':>7} {'acked':>7} {'acc/s':>7} {'p50 s':>6} {'p95 s':>6} "
        f"{'p99 s':>6} {'503s':>5} {'hangs':>5} {'conn':>5} {'5xx':>4} {'lost':>4} {'dup':>4} "
        f"{'twins':>5} {'log':>9} {'merge s':>7} {'load':>9}"
    )
    for r in reports:
        name = r.variant + ("+faults" if r.faults else "")
        log = "n/a"
        if r.log_checked:
            log = "ok" if not (r.log_missing or r.log_duplicated) else f"{r.log_missing} miss"
        merge = f"{r.merge_seconds:.1f}" if r.merge_seconds is not None else "-"
        print(
            f"{name:<9} {r.clients:>7} {r.acknowledged:>7} {r.accepted_per_s:>7.1f} "
            f"{r.p50:>6.2f} {r.p95:>6.2f} {r.p99:>6.2f} {r.status_503:>5} {r.hangs:>5} "
            f"{r.connection_errors:>5} {r.other_5xx:>4} {r.lost:>4} {r.duplicated:>4} "
            f"{r.twins:>5} {log:>9} {merge:>7} {r.load_average[0]:>4.1f}-{r.load_average[1]:<4.1f}"
        )


def print_time(reports: list[RunReport]) -> None:
    groups = ["web (gunicorn)", "PostgreSQL", "worker", "SMTP sink", "load generator"]
    print("\nWhere the time goes: CPU ms per accepted submission, and time per request (ms)")
    header = "".join(f"{g:>16}" for g in groups)
    print(f"{'code':<9} {'clients':>7}{header} {'server p50/p99':>15} {'client p50/p99':>15}")
    for r in reports:
        name = r.variant + ("+faults" if r.faults else "")
        per = [1000 * r.cpu.get(g, 0.0) / max(r.acknowledged, 1) for g in groups]
        cells = "".join(f"{v:>16.1f}" for v in per)
        server = f"{r.server_ms['p50']:.0f}/{r.server_ms['p99']:.0f}" if r.server_ms else "-"
        client = f"{r.client_ms['p50']:.0f}/{r.client_ms['p99']:.0f}" if r.client_ms else "-"
        print(f"{name:<9} {r.clients:>7}{cells} {server:>15} {client:>15}")
    print(
        "server = gunicorn's time for the request; client = the same requests seen by the "
        "client; the difference is queueing (listen backlog, busy workers) and the loopback."
    )


def profile(code: Path, server_url: str, submissions: int) -> None:
    """Queries and functions per submission in one process (no SMTP: mail kept in memory)."""
    with Stack(variant="profile", code=code, server_url=server_url, clients=1, workers=1) as stack:
        stack.services.close()
        out = stack._cmd("-m", "bench.rush_seed", "profile", "--submissions", str(submissions))
        result = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"\nProfile of {code.name or code}: {result['queries_per_submission']} queries per "
          f"submission, {result['ms_per_submission_profiled']:.1f} ms each under cProfile")  # fmt: skip
    for sql in result["queries"]:
        print("  ", sql)
    print(result["cprofile"])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench deadline-rush")
    parser.add_argument("--clients", default="100,500", help="comma-separated client counts")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=None, help="default: 2 x cores + 1")
    parser.add_argument("--faults", action="store_true")
    parser.add_argument("--baseline", default=BASELINE, help="commit to compare with, or 'none'")
    parser.add_argument("--profile", action="store_true", help="profile one submission path")
    parser.add_argument("--json", help="also write the reports to this file")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench deadline-rush: set DATABASE_URL to PostgreSQL (with CREATEDB)")
    counts = [int(c) for c in args.clients.split(",")]
    workers = args.workers or default_workers()
    work = Path(tempfile.mkdtemp(prefix="polyvox-rush-"))
    reports: list[RunReport] = []
    variants: list[tuple[str, Path]] = [("current", ROOT)]
    if args.baseline.lower() != "none":
        variants.insert(0, ("baseline", _git_archive(args.baseline, work / "baseline")))
    print(f"{os.cpu_count()} cores, {workers} gunicorn workers, {args.seconds:.0f} s per run, "
          f"DEBUG off; baseline {args.baseline}", flush=True)  # fmt: skip
    try:
        for name, code in variants:
            with Stack(
                variant=name, code=code, server_url=url, clients=max(counts), workers=workers
            ) as stack:
                for n in counts:
                    reports.append(stack.run(n, args.seconds))
                    print_table(reports[-1:])
        if args.faults:
            cluster = PrivateCluster.create()
            try:
                with Stack(
                    variant="current", code=ROOT, server_url=cluster.url, clients=min(counts),
                    workers=workers, cluster=cluster,
                ) as stack:  # fmt: skip
                    reports.append(stack.run(min(counts), args.seconds, faults=True))
            finally:
                cluster.destroy()
        print()
        print_table(reports)
        print_time(reports)
        for r in reports:
            for line in r.faults:
                print(f"{r.variant} {r.clients}: fault at {line}")
            for line in r.notes:
                print(f"{r.variant} {r.clients}: note: {line}")
            for line in r.problems:
                print(f"{r.variant} {r.clients}: PROBLEM: {line}")
        if args.json:
            Path(args.json).write_text(json.dumps([r.__dict__ for r in reports], indent=1))
        if args.profile:
            for name, code in variants:
                print(f"\n--- {name}")
                profile(code, url, 300)
        return 0 if all(r.ok for r in reports if r.variant == "current") else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
