"""Deadline rush: the processes under test (web server, worker, SMTP sink, PostgreSQL), the faults
done to them, and the CPU each group of processes spends (psutil).

CPU of a group = the growth of its anchors' own and reaped-children times, plus the growth of
their live descendants' times, minus what descendants that died had spent before the window (it
reappears in their parent's children times). PostgreSQL backends of short connections and killed
gunicorn workers are counted that way; what a process spent between its last sample and a kill -9
of its parent is not.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil

PG_BIN = Path("/usr/lib/postgresql")
# `polyvox serve`'s access log format (Apache's combined plus %(D)s, microseconds), for both.
ACCESS_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s'
# The `polyvox` command of the code on sys.path first (the console script would find this tree).
POLYVOX = ["-c", "import sys; from polyvox.cli import main; sys.exit(main(sys.argv[1:]))"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, seconds: float = 60.0, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Until `url` answers at all (any status), or RuntimeError (also when `proc` exits)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}) before answering")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (loopback)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def stop(proc: subprocess.Popen[bytes] | None, *, group: bool = False) -> None:
    """SIGTERM (the whole session when `group`), then SIGKILL after 15 s."""
    if proc is None or proc.poll() is not None:
        return
    try:
        if group:
            os.killpg(proc.pid, signal.SIGTERM)
        else:
            proc.terminate()
        proc.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL) if group else proc.kill()
        proc.wait(5)
    except ProcessLookupError:
        pass


# PostgreSQL --------------------------------------------------------------------------------------


@dataclass
class PrivateCluster:
    """A throw-away PostgreSQL cluster in a temp dir (trust auth, loopback): restarting it mid-load
    disturbs no one else using the machine's server."""

    directory: Path
    port: int
    bin: Path
    owner: str | None  # run pg_ctl as this user (root may not run PostgreSQL)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _pg_ctl(self, *args: str) -> None:
        cmd = [str(self.bin / "pg_ctl"), "-D", str(self.directory / "data"), *args]
        if self.owner:
            cmd = ["runuser", "-u", self.owner, "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True)

    @classmethod
    def create(cls) -> PrivateCluster:
        versions = sorted(PG_BIN.glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
        if not versions:
            raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql")
        bin_dir = versions[-1].parent
        owner = "postgres" if os.geteuid() == 0 else None
        directory = Path(tempfile.mkdtemp(prefix="polyvox-rush-pg-"))
        directory.chmod(0o755)
        if owner:
            shutil.chown(directory, owner, owner)
        cluster = cls(directory, free_port(), bin_dir, owner)
        init = [str(bin_dir / "initdb"), "-D", str(directory / "data"), "-U", "postgres"]
        init += ["--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]
        if owner:
            init = ["runuser", "-u", owner, "--", *init]
        subprocess.run(init, check=True, capture_output=True)
        options = f"-p {cluster.port} -k {directory} -c listen_addresses=127.0.0.1"
        options += " -c max_connections=200 -c fsync=on"
        cluster._options = options
        cluster.start()
        return cluster

    _options: str = ""

    def start(self) -> None:
        log = str(self.directory / "postgres.log")
        self._pg_ctl("-o", self._options, "-l", log, "-w", "start")

    def restart(self) -> None:
        """`pg_ctl restart -m fast`: every backend is terminated, the server comes back."""
        self._pg_ctl("-o", self._options, "-l", str(self.directory / "postgres.log"), "-w",
                     "-m", "fast", "restart")  # fmt: skip

    def postmaster(self) -> int | None:
        try:
            return int((self.directory / "data" / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(self.directory, ignore_errors=True)


def postmaster_of(url: str) -> int | None:
    """The PostgreSQL server process behind `url`, when it runs on this machine."""
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT pg_backend_pid()").fetchone()
        parent = psutil.Process(int(row[0]) if row else 0).parent()
        return parent.pid if parent else None
    except (psycopg.Error, psutil.Error):
        return None


def create_database(url: str, name: str) -> str:
    import psycopg

    base, _, _ = url.rpartition("/")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def drop_database(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# CPU accounting ----------------------------------------------------------------------------------


def _total(p: psutil.Process) -> float:
    t = p.cpu_times()
    return float(t.user + t.system + t.children_user + t.children_system)


@dataclass
class _Seen:
    base: float  # total when first seen in the window (0 for a process born during it)
    last: float
    anchor: bool
    alive: bool = True


@dataclass
class CpuMeter:
    """CPU seconds spent by named groups of processes between `start()` and `stop()`."""

    groups: dict[str, Callable[[], list[int]]]  # name → the group's anchor pids right now
    interval: float = 0.25
    _seen: dict[str, dict[int, _Seen]] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _self_start: float = 0.0
    load_generator: float = 0.0

    def _sample(self, first: bool) -> None:
        for name, anchors in self.groups.items():
            seen = self._seen.setdefault(name, {})
            current: dict[int, bool] = {}
            for pid in anchors():
                try:
                    root = psutil.Process(pid)
                    current[pid] = True
                    current.update((c.pid, False) for c in root.children(recursive=True))
                except psutil.Error:
                    continue
            for pid, old in seen.items():
                old.alive = pid in current
            for pid, anchor in current.items():
                try:
                    total = _total(psutil.Process(pid))
                except psutil.Error:
                    continue
                known = seen.get(pid)
                if known is None:
                    seen[pid] = _Seen(base=total if first else 0.0, last=total, anchor=anchor)
                else:
                    known.last, known.alive = total, True
                    known.anchor = known.anchor or anchor

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample(False)

    def start(self) -> None:
        self._sample(True)
        t = os.times()
        self._self_start = t.user + t.system
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def stop(self) -> dict[str, float]:
        self._stop.set()
        if self._thread:
            self._thread.join()
        self._sample(False)
        t = os.times()
        # The load generator: this process (event loop and this meter), not its children.
        self.load_generator = t.user + t.system - self._self_start
        out: dict[str, float] = {}
        for name, seen in self._seen.items():
            spent = 0.0
            for entry in seen.values():
                if entry.anchor or entry.alive:
                    spent += entry.last - entry.base
                else:  # reaped by a live parent: its whole life is in the parent's children times
                    spent -= entry.base
            out[name] = max(spent, 0.0)
        out["load generator"] = self.load_generator
        return out


# The servers -------------------------------------------------------------------------------------


@dataclass
class Services:
    """The web server, the worker (restarted as systemd would) and the SMTP sink of one variant."""

    code: Path
    current: bool
    env: dict[str, str]
    port: int
    workers: int
    work: Path
    web: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None
    smtp: subprocess.Popen[bytes] | None = None
    worker_restarts: int = 0
    _watch: threading.Thread | None = None
    _closing: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.work / "access.log"

    @property
    def mail_file(self) -> Path:
        return self.work / "mail.jsonl"

    def _python(self) -> str:
        return sys.executable

    def _has_command(self, relative: str) -> bool:
        return (self.code / relative).exists()

    def start_smtp(self) -> None:
        cmd = [self._python(), "-m", "bench.rush_clients", "smtp", self.env["RUSH_SMTP_PORT"]]
        self.smtp = subprocess.Popen(
            [*cmd, str(self.mail_file)], env=self.env, cwd=self.code, stdout=subprocess.PIPE
        )
        if self.smtp.stdout is not None:
            self.smtp.stdout.readline()  # "ready"

    def web_command(self) -> list[str]:
        bind = f"127.0.0.1:{self.port}"
        if self.current and self._has_command("polyvox/operations/management/commands/serve.py"):
            return [self._python(), *POLYVOX, "serve", "--bind", bind,
                    "--workers", str(self.workers)]  # fmt: skip
        # The baseline: gunicorn as `polyvox serve` runs it (same workers, timeouts, preload,
        # access log), so that the code is compared, not the server's settings.
        return [self._python(), "-m", "gunicorn", "polyvox.config.wsgi", "--bind", bind,
                "--workers", str(self.workers), "--timeout", "60", "--graceful-timeout", "30",
                "--keep-alive", "5", "--preload", "--worker-tmp-dir", "/dev/shm",  # noqa: S108
                "--access-logfile", str(self.access_log),
                "--access-logformat", ACCESS_FORMAT]  # fmt: skip

    def worker_command(self) -> list[str]:
        if self.current and self._has_command("polyvox/operations/management/commands/worker.py"):
            return [self._python(), *POLYVOX, "worker"]
        if self.current:  # until `polyvox worker` exists: the integrator alone
            return [self._python(), *POLYVOX, "record", "integrate", "--loop"]
        return [self._python(), *POLYVOX, "db_worker"]

    def start_web(self, *, wait: bool = True) -> None:
        log = open(self.work / "web.log", "ab")  # noqa: SIM115
        self.web = subprocess.Popen(
            self.web_command(), env=self.env, cwd=self.code, stdout=log, stderr=log,
            start_new_session=True,
        )  # fmt: skip
        if wait:
            self.wait_web()

    def wait_web(self) -> None:
        try:
            wait_http(self.base + "/healthz", 300.0, proc=self.web)
        except RuntimeError as error:
            tail = (self.work / "web.log").read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{error}\n{tail}") from error

    def start_worker(self) -> None:
        log = open(self.work / "worker.log", "ab")  # noqa: SIM115
        with self._lock:
            self.worker = subprocess.Popen(
                self.worker_command(), env=self.env, cwd=self.code, stdout=log, stderr=log,
                start_new_session=True,
            )  # fmt: skip
        if self._watch is None:
            self._watch = threading.Thread(target=self._supervise, daemon=True)
            self._watch.start()

    def _supervise(self) -> None:
        """Restart=always, RestartSec=1: a worker that died is started again."""
        while not self._closing.wait(0.5):
            proc = self.worker
            if proc is not None and proc.poll() is not None:
                time.sleep(1.0)
                if self._closing.is_set():
                    return
                self.worker_restarts += 1
                self.start_worker()

    def web_workers(self) -> list[int]:
        """The gunicorn worker pids (the children of the master that serve them)."""
        if self.web is None:
            return []
        try:
            procs = psutil.Process(self.web.pid).children(recursive=True)
        except psutil.Error:
            return []
        pids = {p.pid for p in procs}
        # workers are the leaves whose parent is the master (itself the web process or its child)
        return [p.pid for p in procs if not any(c.pid in pids for c in p.children())]

    def kill_web_worker(self) -> int | None:
        workers = self.web_workers()
        if not workers:
            return None
        os.kill(workers[0], signal.SIGKILL)
        return workers[0]

    def kill_worker(self) -> int | None:
        """kill -9 of the worker (its whole process group, as systemd's KillMode would)."""
        proc = self.worker
        if proc is None or proc.poll() is not None:
            return None
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            return None
        return proc.pid

    def anchors(self) -> dict[str, Callable[[], list[int]]]:
        def pid_of(attr: str) -> Callable[[], list[int]]:
            def pids() -> list[int]:
                proc = getattr(self, attr)
                return [proc.pid] if proc is not None and proc.poll() is None else []

            return pids

        return {"web (gunicorn)": pid_of("web"), "worker": pid_of("worker"),
                "SMTP sink": pid_of("smtp")}  # fmt: skip

    def close(self) -> None:
        self._closing.set()
        stop(self.web, group=True)
        stop(self.worker, group=True)
        stop(self.smtp)
