"""Bulk-import benchmark: N seeded rows into SQLite (default) or PostgreSQL (DATABASE_URL).

Writes a CSV of N submissions (form letters, some with personal additions, and unique texts, with
a few invalid rows), times `import_submissions` into a fresh process, verifies the count, then
re-runs the same file and verifies that nothing is imported twice.

Without DATABASE_URL it uses a throw-away SQLite file (never the developer's database); with it,
the configured database — migrated, one process created per run.

`python -m bench bulk-import [--rows 100000] [--seed 0]`
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

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


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench bulk-import")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="polyvox-bench-import-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work / 'bench.sqlite3'}")
    # Detection is queued after an import; the benchmark times the import alone.
    os.environ["POLYVOX_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polyvox.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from polyvox.campaigns.services import import_submissions
    from polyvox.contributions.models import Contribution
    from polyvox.participants.models import User
    from polyvox.processes.models import Membership, Process, Role

    call_command("migrate", verbosity=0)
    stamp = f"{int(time.time())}-{os.getpid()}"
    actor = User.objects.create(username=f"bench-{stamp}", email=f"bench-{stamp}@bench.invalid")
    process = Process.objects.create(
        slug=f"bench-import-{stamp}", title="Bulk import benchmark", mandate="-", created_by=actor
    )
    Membership.objects.create(process=process, user=actor, role=Role.SECRETARIAT)
    path = work / "submissions.csv"
    invalid = write_corpus(path, args.rows, args.seed)

    start = time.perf_counter()
    run = import_submissions(actor=actor, process=process, path=path)
    seconds = time.perf_counter() - start
    stored = Contribution.objects.filter(process=process).count()
    start = time.perf_counter()
    again = import_submissions(actor=actor, process=process, path=path)
    rerun_seconds = time.perf_counter() - start

    expected = args.rows - invalid
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {connection.vendor}, rows: {args.rows}, seed: {args.seed}")
    print(
        f"import: {run.rows_ok} imported, {run.rows_rejected} rejected in {seconds:.1f} s "
        f"({run.rows_ok / max(seconds, 1e-9):,.0f} rows/s); peak RSS {peak_mib:,.0f} MiB"
    )
    print(f"re-run: {again.rows_ok} imported, {again.rows_already_imported} skipped in "
          f"{rerun_seconds:.1f} s")  # fmt: skip
    ok = stored == expected == run.rows_ok and run.rows_rejected == invalid and again.rows_ok == 0
    print(f"count verified: {stored} stored, {expected} expected — {'OK' if ok else 'MISMATCH'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
