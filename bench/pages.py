"""Pages benchmark: every main page, download and API list of a process with N imported inputs.

For each size (default 100,000; `--sizes 100000,1000000`) and database (SQLite file, and
PostgreSQL when DATABASE_URL names one), a fresh process of its own: migrates an empty database,
seeds the demo (`seed_demo`), imports N seeded real-text submissions into the demo consultation
(`cn-principles`) through `polyvox import submissions`' own function, in files of 100,000 rows,
attaches them to the latest version of its draft (so its feedback report holds them), answers a
share of them (35 % noted or incorporated with a reason, 5 % with a proposed answer),
records campaigns with the real detector, then requests each page through Django's test client
with DEBUG off, as a visitor and as the secretariat (sofia). Per request it prints the server
time (median of 3 after a warm-up; a page slower than 5 s is timed once), the bytes of the whole
body (streamed bodies read to the end) and the peak Python memory of the request (tracemalloc,
in a separate pass so that it does not slow the timing).

The baseline, in the same run, is the polyvox package of `--before` (default 3fc13b4, the tree
before this issue), taken with `git archive` and run on the same seeded data, at the smallest
size only (its slow pages take minutes at 1,000,000). A request is stopped after `--timeout`
seconds and reported as such.

`python -m bench pages [--sizes 100000] [--databases sqlite,postgresql] [--before 3fc13b4|none]`
`python -m bench pages --keep DIR` keeps each seeded database (SQLite file, or a PostgreSQL
database name printed at the end); `--reuse URL` times pages on a kept one without seeding.
"""

from __future__ import annotations

import _thread
import argparse
import contextlib
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "3fc13b4"
SLUG = "cn-principles"
FILE_ROWS = 100_000
SLOW_S = 5.0


# --- seeding ---------------------------------------------------------------------------------


def seed(size: int, seed_value: int, work: Path) -> dict[str, Any]:
    """The demo plus `size` imported submissions in cn-principles, a share answered."""
    from django.core.management import call_command
    from django.db import connection

    from bench import corpus
    from polyvox.campaigns.importing import import_submissions
    from polyvox.contributions.models import Contribution, Disposition, ProposedAnswer
    from polyvox.drafts.models import DraftVersion
    from polyvox.participants.models import User
    from polyvox.processes.models import Process

    timings: dict[str, float] = {}
    start = time.perf_counter()
    call_command("seed_demo", verbosity=0)
    timings["seed_demo_s"] = time.perf_counter() - start
    process = Process.objects.get(slug=SLUG)
    sofia = User.objects.get(username="sofia")
    mapping = {"author_name": "author", "external_id": "id"}
    start = time.perf_counter()
    done = 0
    for part in range(0, size, FILE_ROWS):
        rows = min(FILE_ROWS, size - part)
        path = work / f"submissions-{part}.csv"
        corpus.write(path, rows, seed=seed_value * 1000 + part // FILE_ROWS)
        # Make each file's ids distinct, or the re-import rule would skip them as already seen.
        text = re.sub(r"(?m)^sub-", f"f{part}-", path.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")
        run = import_submissions(actor=sofia, process=process, path=path, mapping=mapping)
        done += run.rows_ok
        path.unlink()
    timings["import_s"] = time.perf_counter() - start
    # The submissions answer the draft's latest version, so its feedback report holds them all.
    latest = DraftVersion.objects.filter(draft__process=process).order_by("-number").first()
    Contribution.objects.filter(process=process, kind="submission", draft_version=None).update(
        draft_version=latest
    )
    start = time.perf_counter()
    rng = random.Random(seed_value)
    ids = Contribution.objects.filter(process=process, kind="submission").values_list(
        "pk", flat=True
    )
    answers: list[Any] = []
    proposals: list[Any] = []
    for pk in ids.iterator(chunk_size=10_000):
        r = rng.random()
        if r < 0.35:
            outcome = "incorporated" if r < 0.05 else "noted"
            answers.append(
                Disposition(contribution_id=pk, outcome=outcome, reason="Considered in v2.", decided_by=sofia)
            )  # fmt: skip
        elif r < 0.40:
            proposals.append(ProposedAnswer(contribution_id=pk, outcome="noted", reason="Soon.", proposed_by=sofia))  # fmt: skip
        if len(answers) >= 10_000:
            Disposition.objects.bulk_create(answers, ignore_conflicts=True)
            answers = []
    Disposition.objects.bulk_create(answers, ignore_conflicts=True)
    ProposedAnswer.objects.bulk_create(proposals, batch_size=10_000, ignore_conflicts=True)
    timings["answers_s"] = time.perf_counter() - start
    start = time.perf_counter()
    _detect_campaigns(process, sofia)
    timings["campaigns_s"] = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"imported": done, **timings}


def _detect_campaigns(process: Any, actor: Any) -> None:
    from polyvox.campaigns.tasks import detect_campaigns_task

    detect_campaigns_task.call(process.pk, actor.pk)


# --- the pages -------------------------------------------------------------------------------


def targets() -> list[tuple[str, str, str]]:
    """(who, label, path) of every page measured; who is "visitor" or "sofia"."""
    from polyvox.campaigns.models import Campaign
    from polyvox.contributions.models import Contribution
    from polyvox.drafts.models import DraftVersion

    p = f"/p/{SLUG}"
    version = DraftVersion.objects.filter(draft__process__slug=SLUG).order_by("-number").first()
    draft = f"{p}/drafts/{version.draft.slug}/v{version.number}" if version else ""
    last = (
        Contribution.objects.filter(process__slug=SLUG, kind="submission").order_by("-pk").first()
    )
    campaign = Campaign.objects.filter(process__slug=SLUG).order_by("-size").first()
    api = f"/api/v1/processes/{SLUG}"
    rows: list[tuple[str, str, str]] = [
        ("visitor", "home", "/"),
        ("visitor", "process page", f"{p}/"),
        ("visitor", "inputs, first page", f"{p}/contributions/"),
        ("visitor", "inputs, page 1,000", f"{p}/contributions/?page=1000"),
        ("visitor", "inputs, search", f"{p}/contributions/?q=privacy"),
        ("visitor", "inputs.csv", f"{p}/contributions.csv"),
        ("visitor", "inputs.json", f"{p}/contributions.json"),
        ("visitor", "feedback report", f"{draft}/feedback/"),
        ("visitor", "feedback report, page 100", f"{draft}/feedback/?page=100"),
        ("visitor", "feedback.csv", f"{draft}/feedback.csv"),
        ("visitor", "feedback.json", f"{draft}/feedback.json"),
        ("visitor", "draft version", f"{draft}/"),
        ("visitor", "record", f"{p}/record/"),
        ("visitor", "record.jsonl", f"{p}/record.jsonl"),
        ("visitor", "statements", f"{p}/statements/"),
        ("visitor", "opinion map", f"{p}/opinion-map/"),
        ("visitor", "campaigns", f"{p}/campaigns/"),
        ("visitor", "outcome", f"{p}/outcome/"),
        ("visitor", "commitments", f"{p}/commitments/"),
        ("visitor", "API inputs", f"{api}/contributions"),
        ("visitor", "API inputs, unanswered", f"{api}/contributions?answered=no"),
        ("visitor", "API feedback report", f"{api}/drafts/{draft.split('/')[-2]}/versions/{version.number}/feedback" if version else ""),
        ("visitor", "API statements", f"{api}/statements"),
        ("visitor", "API campaigns", f"{api}/campaigns"),
        ("visitor", "API record entries", f"{api}/record/entries?start=0&end=1000"),
        ("visitor", "API opinion map", f"{api}/opinion-map"),
        ("sofia", "workbench", f"{p}/workbench/"),
        ("sofia", "workbench, unanswered", f"{p}/workbench/?answered=no"),
        ("sofia", "workbench, page 500", f"{p}/workbench/?page=500"),
        ("sofia", "workbench, review", f"{p}/workbench/review/"),
        ("sofia", "signals", f"{p}/signals/"),
        ("sofia", "campaigns", f"{p}/campaigns/"),
        ("sofia", "members", f"{p}/members/"),
        ("sofia", "close", f"{p}/close/"),
    ]  # fmt: skip
    if last is not None:
        rows.append(("visitor", "an input", f"{p}/contributions/{last.tracking_number}/"))
        rows.append(("sofia", "an input", f"{p}/contributions/{last.tracking_number}/"))
    if campaign is not None:
        rows.append(("visitor", "largest campaign", f"{p}/campaigns/{campaign.pk}/"))
        rows.append(("sofia", "largest campaign", f"{p}/campaigns/{campaign.pk}/"))
    return [row for row in rows if row[2]]


class DeadlineError(Exception):
    pass


def _cancel_query(vendor: str, raw: Any) -> None:
    """Stop the statement the main thread waits on (SQLite interrupt, PostgreSQL cancel)."""
    if raw is None:
        return
    with contextlib.suppress(Exception):
        raw.interrupt() if vendor == "sqlite" else raw.cancel()


def _discard_connection() -> None:
    """After a cancelled statement the connection may be mid-command: the next request opens a
    new one."""
    from django.db import connection

    with contextlib.suppress(Exception):
        connection.close()
    connection.connection = None


@contextlib.contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Raise Timeout after `seconds`, even inside a long SQL statement (a timer thread cancels
    the statement and interrupts the main thread; a signal alone waits for the statement)."""
    from django.db import connection  # the main thread's: connections are per thread

    fired = threading.Event()
    vendor, raw = connection.vendor, connection.connection

    def stop() -> None:
        fired.set()
        _cancel_query(vendor, raw)
        _thread.interrupt_main()

    timer = threading.Timer(seconds, stop)
    timer.start()
    try:
        yield
    except BaseException as error:
        if fired.is_set():
            raise DeadlineError from error
        raise
    finally:
        timer.cancel()


def _fetch(client: Any, path: str) -> tuple[int, int]:
    """(status, bytes): the whole body, a streamed one read to its end."""
    response = client.get(path)
    if getattr(response, "streaming", False):
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    return response.status_code, size


def _timed(client: Any, path: str, timeout: int) -> dict[str, Any]:
    """Median of 3 after a warm-up; a page slower than SLOW_S is timed once after its warm-up."""
    times: list[float] = []
    status = size = 0
    try:
        with _deadline(timeout):
            start = time.perf_counter()
            _fetch(client, path)  # warm-up
            runs = 1 if time.perf_counter() - start > SLOW_S else 3
        for _ in range(runs):
            with _deadline(timeout):
                start = time.perf_counter()
                status, size = _fetch(client, path)
                times.append(time.perf_counter() - start)
    except DeadlineError:
        _discard_connection()
        return {"status": "timeout", "seconds": float(timeout), "bytes": None, "peak_mib": None}
    peak = None
    if times[0] <= SLOW_S:
        tracemalloc.start()
        try:
            _fetch(client, path)
            peak = tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()
    return {"status": status, "seconds": statistics.median(times), "bytes": size, "peak_mib": peak}


def measure(timeout: int) -> list[dict[str, Any]]:
    from django.test import Client

    from polyvox.participants.models import User

    clients = {"visitor": Client(), "sofia": Client()}
    clients["sofia"].force_login(User.objects.get(username="sofia"))
    results = []
    for who, label, path in targets():
        row = {"who": who, "page": label, "path": path, **_timed(clients[who], path, timeout)}
        print(json.dumps(row), flush=True)
        results.append(row)
    return results


def worker(args: argparse.Namespace) -> int:
    """One (code, database, size) in this process; JSON lines out, the last one a summary."""
    os.environ["POLYVOX_DEBUG"] = "0"
    os.environ["POLYVOX_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ["DJANGO_SETTINGS_MODULE"] = "polyvox.config.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    if settings.DEBUG:
        raise SystemExit("DEBUG is on; the benchmark measures with DEBUG off")
    # A background job of a shell starts with SIGINT ignored; the deadline needs it delivered.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    setup_test_environment()  # the test client's testserver host
    call_command("collectstatic", interactive=False, verbosity=0)  # hashed names, as in production
    summary: dict[str, Any] = {"summary": True, "vendor": connection.vendor}
    if not args.reuse_seeded:
        call_command("migrate", verbosity=0)
        work = Path(tempfile.mkdtemp(prefix="polyvox-bench-pages-"))
        try:
            summary.update(seed(args.size, args.seed, work))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(json.dumps({"seeded": summary}), flush=True)
    else:
        call_command("migrate", verbosity=0)  # a kept database seeded by an older tree
    if not args.seed_only:
        measure(args.timeout)
    print(json.dumps(summary), flush=True)
    return 0


# --- the driver ------------------------------------------------------------------------------


def _fresh_database(kind: str, work: Path, name: str) -> tuple[str, str | None]:
    """(DATABASE_URL, PostgreSQL database to drop afterwards or None)."""
    if kind == "sqlite":
        return f"sqlite:///{work / (name + '.sqlite3')}", None
    import psycopg

    url = os.environ["DATABASE_URL"]
    base, _, _ = url.rpartition("/")
    db = f"polyvox_bench_pages_{name}_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{db}"')
    return f"{base}/{db}", db


def _drop(db: str) -> None:
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}"')


def _run(code: Path, db_url: str, args: argparse.Namespace, size: int, seeded: bool) -> list[dict[str, Any]]:  # fmt: skip
    env = {**os.environ, "DATABASE_URL": db_url, "PYTHONPATH": f"{code}{os.pathsep}{ROOT}"}
    if not seeded:  # a 100,000-row COPY on a busy machine outlasts the 30 s request limit
        env["POLYVOX_DB_STATEMENT_TIMEOUT"] = "0"
    env["POLYVOX_DATA_DIR"] = str(Path(tempfile.gettempdir()) / "polyvox-bench-pages-data")
    cmd = [sys.executable, "-m", "bench.pages", "--worker", "--size", str(size)]
    cmd += ["--seed", str(args.seed), "--timeout", str(args.timeout)]
    cmd += ["--reuse-seeded"] if seeded else []
    cmd += ["--seed-only"] if args.seed_only else []
    proc = subprocess.Popen(cmd, cwd=code, env=env, stdout=subprocess.PIPE, text=True)
    rows = []
    if proc.stdout is None:
        raise SystemExit("no worker output")
    for line in proc.stdout:
        if line.startswith("{"):
            rows.append(json.loads(line))
            if "seeded" in rows[-1]:
                print(f"  seeded: {rows[-1]['seeded']}", flush=True)
            elif "page" in rows[-1]:
                print(f"  {rows[-1]['who']:<8} {rows[-1]['page']:<28} {_fmt(rows[-1])}", flush=True)
    proc.wait()
    if proc.returncode:
        print(f"  worker failed with exit status {proc.returncode}", flush=True)
    return rows


def _fmt(row: dict[str, Any] | None) -> str:
    if row is None:
        return f"{'-':>9} {'-':>10} {'-':>7}"
    if row["status"] == "timeout":
        return f"{'>' + str(int(row['seconds'])) + ' s':>9} {'-':>10} {'-':>7}"
    peak = f"{row['peak_mib']:.1f}" if row["peak_mib"] is not None else "-"
    status = "" if row["status"] == 200 else f" [{row['status']}]"
    return f"{row['seconds'] * 1000:>8.0f}m {row['bytes']:>10,} {peak:>7}{status}"


def table(title: str, after: list[dict[str, Any]], before: list[dict[str, Any]]) -> None:
    print(f"\n{title}")
    key = lambda r: (r["who"], r["page"])  # noqa: E731
    old = {key(r): r for r in before if "page" in r}
    head = f"{'who':<8} {'page':<28} {'after ms':>9} {'bytes':>10} {'MiB':>7}"
    print(head + (f"   {'before ms':>9} {'bytes':>10} {'MiB':>7}" if before else ""))
    for row in after:
        if "page" not in row:
            continue
        line = f"{row['who']:<8} {row['page']:<28} {_fmt(row)}"
        print(line + (f"   {_fmt(old.get(key(row)))}" if before else ""), flush=True)


def _extract(rev: str, into: Path) -> None:
    """The polyvox package of commit `rev`, under `into`."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "polyvox"], capture_output=True, check=True)  # fmt: skip
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench pages")
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--before", default=BEFORE, help="commit to compare with, or 'none'")
    parser.add_argument("--timeout", type=int, default=120, help="seconds before a request stops")
    parser.add_argument("--keep", metavar="DIR", help="keep the seeded databases (SQLite in DIR)")
    parser.add_argument("--reuse", metavar="URL", help="time pages on a kept, seeded database")
    parser.add_argument("--reuse-tree", metavar="REV", help="with --reuse: time REV's tree")
    parser.add_argument("--seed-only", action="store_true", help="seed (with --keep), time nothing")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--reuse-seeded", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args)
    if args.reuse:
        code, name = ROOT, "this tree"
        if args.reuse_tree:
            code, name = Path(tempfile.mkdtemp(prefix="polyvox-bench-tree-")), args.reuse_tree
            _extract(args.reuse_tree, code)
        rows = _run(code, args.reuse, args, 0, seeded=True)
        table(f"{name} on {args.reuse}", rows, [])
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    kinds = [k for k in args.databases.split(",") if k == "sqlite" or os.environ.get("DATABASE_URL", "").startswith("postgres")]  # fmt: skip
    work = Path(args.keep or tempfile.mkdtemp(prefix="polyvox-bench-pages-"))
    work.mkdir(parents=True, exist_ok=True)
    before_code = None
    if args.before.lower() != "none":
        before_code = work / "before"
        before_code.mkdir(exist_ok=True)
        _extract(args.before, before_code)
    print(
        f"pages benchmark: sizes {sizes}, databases {kinds}, before {args.before}, seed {args.seed}"
    )
    kept = []
    try:
        for kind in kinds:
            for size in sizes:
                name = f"{kind}_{size}"
                db_url, db = _fresh_database(kind, work, name)
                try:
                    print(f"\n{kind}, {size:,} inputs: seeding and timing this tree", flush=True)
                    after = _run(ROOT, db_url, args, size, seeded=False)
                    before: list[dict[str, Any]] = []
                    if before_code is not None and size == min(sizes) and not args.seed_only:
                        print(f"{kind}, {size:,} inputs: timing {args.before}", flush=True)
                        before = _run(before_code, db_url, args, size, seeded=True)
                    table(f"{kind}, {size:,} inputs (this tree vs {args.before})", after, before)
                finally:
                    if db and not args.keep:
                        _drop(db)
                    elif args.keep:
                        kept.append(db_url)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        for url in kept:
            print(f"kept: {url}  (python -m bench pages --reuse {url})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
