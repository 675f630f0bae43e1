"""Bulk-import benchmark: N seeded rows, before (an older commit) and after (this tree).

Writes a CSV of N submissions (form letters, some with personal additions, and unique texts, with
a few invalid rows), then for each variant, in a fresh process with Django's DEBUG off (checked,
`settings.DEBUG is False`): migrates an empty database, times `import_submissions`, verifies
the count, re-runs the same file and verifies that nothing is imported twice.

"before" is the `polyvox` package of `--before` (default 7901c4d, the last commit whose import
went through the ORM's `bulk_create`), taken with `git archive`; "after" is this working tree.
Without DATABASE_URL each variant gets a throw-away SQLite file (never the developer's
database); with a PostgreSQL DATABASE_URL each gets a fresh database created next to it and
dropped afterwards (its role needs CREATEDB).

`python -m bench bulk-import [--rows 100000] [--seed 0] [--before 7901c4d | --before none]`
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "7901c4d"
LETTERS = [
    "Keep the internet open and neutral: operators must not block, throttle or sell priority.",
    "Protect end-to-end encryption; client-side scanning breaks the security of everyone.",
    "Fund community networks so that rural areas are connected on their own terms.",
]
NAMES = ["Ana", "Bo", "Chen", "Dee", "Eli", "Fatou", "Goran", "Hiro", "Ines", "Jamal"]
GROUPS = ["civil_society", "private_sector", "academia", "individual", "technical_community"]
COUNTRIES = ["BR", "KE", "IN", "DE", "US", "JP", "EG", "MX", ""]


def write_corpus(path: Path, rows: int, seed: int) -> int:
    """Write `rows` data rows; returns how many are invalid (an empty text every 1,000th row)."""
    rng = random.Random(seed)
    invalid = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "author_name", "stakeholder_group", "country", "date"])
        for i in range(rows):
            if i % 1000 == 999:
                text, invalid = "", invalid + 1
            elif rng.random() < 0.7:
                text = rng.choice(LETTERS)
                if rng.random() < 0.2:
                    text += f" Personally, story number {rng.randrange(10**6)} matters to me."
            else:
                text = f"Unique comment {i}: " + " ".join(
                    rng.choice(["policy", "draft", "section", "rights", "access", "data"])
                    for _ in range(12)
                )
            minute = rng.randrange(60 * 24 * 30)
            writer.writerow(
                [
                    f"ext-{i}",
                    text,
                    f"{rng.choice(NAMES)} {i}",
                    rng.choice(GROUPS),
                    rng.choice(COUNTRIES),
                    f"2026-03-{1 + minute // 1440:02d}T{minute % 1440 // 60:02d}:{minute % 60:02d}",
                ]
            )
    return invalid


def worker(csv_path: Path, rows: int, invalid: int) -> int:
    """One variant in this process: migrate, import, count, re-import; one JSON line out."""
    os.environ["POLYVOX_DEBUG"] = "0"
    # Detection is queued after an import; the benchmark times the import alone.
    os.environ["POLYVOX_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ["DJANGO_SETTINGS_MODULE"] = "polyvox.config.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    import polyvox
    from polyvox.campaigns.importing import import_submissions
    from polyvox.contributions.models import Contribution
    from polyvox.participants.models import User
    from polyvox.processes.models import Membership, Process, Role

    if settings.DEBUG:
        raise SystemExit("DEBUG is on; the benchmark measures with DEBUG off")
    call_command("migrate", verbosity=0)
    stamp = f"{int(time.time())}-{os.getpid()}"
    actor = User.objects.create(username=f"bench-{stamp}", email=f"bench-{stamp}@bench.invalid")
    process = Process.objects.create(
        slug=f"bench-import-{stamp}", title="Bulk import benchmark", mandate="-", created_by=actor
    )
    Membership.objects.create(process=process, user=actor, role=Role.SECRETARIAT)

    start = time.perf_counter()
    run = import_submissions(actor=actor, process=process, path=csv_path)
    seconds = time.perf_counter() - start
    stored = Contribution.objects.filter(process=process).count()
    start = time.perf_counter()
    again = import_submissions(actor=actor, process=process, path=csv_path)
    rerun_seconds = time.perf_counter() - start

    expected = rows - invalid
    ok = stored == expected == run.rows_ok and run.rows_rejected == invalid and again.rows_ok == 0
    result = {
        "code": str(Path(polyvox.__file__).parent),
        "database": f"{connection.vendor} {connection.Database.sqlite_version}"
        if connection.vendor == "sqlite"
        else f"{connection.vendor} {connection.pg_version // 10000}.{connection.pg_version % 10000}",
        "debug": settings.DEBUG,
        "seconds": seconds,
        "rows_ok": run.rows_ok,
        "rejected": run.rows_rejected,
        "rerun_seconds": rerun_seconds,
        "rerun_skipped": again.rows_already_imported,
        "stored": stored,
        "expected": expected,
        "ok": ok,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(json.dumps(result))
    return 0 if ok else 1


def _fresh_database(url: str | None, work: Path, name: str) -> tuple[str, str | None]:
    """(DATABASE_URL for one variant, PostgreSQL database to drop after it, if any)."""
    if not url:
        return f"sqlite:///{work / (name + '.sqlite3')}", None
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench bulk-import: DATABASE_URL must be PostgreSQL, or unset for SQLite")
    import psycopg

    base, _, _ = url.rpartition("/")
    db = f"polyvox_bench_{name}_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{db}"')
    return f"{base}/{db}", db


def _drop_database(url: str, db: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}"')


def _run_variant(
    name: str, code: Path, csv_path: Path, args: argparse.Namespace, invalid: int
) -> dict[str, Any] | None:
    """Run `worker` in a fresh process whose `polyvox` is the one under `code`."""
    url = os.environ.get("DATABASE_URL")
    db_url, db = _fresh_database(url, csv_path.parent, name)
    env = {**os.environ, "DATABASE_URL": db_url, "PYTHONPATH": f"{code}{os.pathsep}{ROOT}"}
    cmd = [sys.executable, "-m", "bench.bulk_import", "--worker", str(csv_path)]
    cmd += ["--rows", str(args.rows), "--invalid", str(invalid)]
    try:
        # cwd first on sys.path: `polyvox` comes from `code`, `bench` from this tree.
        proc = subprocess.run(cmd, cwd=code, env=env, capture_output=True, text=True, check=False)
    finally:
        if db and url:
            _drop_database(url, db)
    if not proc.stdout.strip():
        print(f"{name}: failed: {proc.stderr.strip().splitlines()[-3:]}")
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench bulk-import")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--before", default=BEFORE, help="commit to compare with, or 'none'")
    parser.add_argument("--worker", metavar="CSV", help=argparse.SUPPRESS)
    parser.add_argument("--invalid", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(Path(args.worker), args.rows, args.invalid)

    work = Path(tempfile.mkdtemp(prefix="polyvox-bench-import-"))
    try:
        path = work / "submissions.csv"
        invalid = write_corpus(path, args.rows, args.seed)
        variants = [("after", ROOT, "this tree")]
        if args.before.lower() != "none":
            old = work / "before"
            old.mkdir()
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", args.before, "polyvox"],
                capture_output=True,
                check=True,
            ).stdout
            subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
            variants.insert(0, ("before", old, args.before))
        print(
            f"{args.rows} rows (seed {args.seed}, {invalid} invalid), DEBUG off, fresh process each"
        )
        print(
            f"{'variant':<8} {'code':<10} {'database':<18} {'import s':>8} {'rows/s':>8} "
            f"{'re-run s':>8} {'peak MiB':>8}  count"
        )
        status = 0
        seconds: dict[str, float] = {}
        for name, code, label in variants:
            r = _run_variant(name, code, path, args, invalid)
            if r is None or not r["ok"] or r["debug"] or not r["code"].startswith(str(code)):
                status = 1
            if r is None:
                continue
            seconds[name] = r["seconds"]
            count = (
                f"{r['stored']} stored, {r['expected']} expected: {'OK' if r['ok'] else 'MISMATCH'}"
            )
            print(
                f"{name:<8} {label:<10} {r['database']:<18} {r['seconds']:>8.1f} "
                f"{r['rows_ok'] / max(r['seconds'], 1e-9):>8,.0f} {r['rerun_seconds']:>8.1f} "
                f"{r['peak_mib']:>8,.0f}  {count}",
                flush=True,
            )
        if len(seconds) == 2:
            print(f"speed-up: {seconds['before'] / seconds['after']:.1f}x (before / after import)")
        return status
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
