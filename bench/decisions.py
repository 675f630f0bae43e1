"""Decision benchmark: the rules on a million positions, and the outcome pages at 100,000.

1. **The pure rules** (`polyvox.analytics.decision_rules`, what `polyvox analyse decision` runs):
   `tally()` on N seeded rows (voter, group, position), with its duplicate-voter check, then
   `what_if()` under all seven presets. Baseline in the same run: `collections.Counter` over
   (group, position), the least a count can do (no duplicate check), then the same `what_if()`.
2. **The app** (a fresh SQLite database in a temporary folder, DEBUG off): one recommendation with
   M seeded positions by M participants in 7 stakeholder groups; the server side of each outcome
   page and selector through Django's test client, median of 5 after one warm-up. Baseline in
   the same run: what a view without grouped counts would do — read every position with its
   author's profile into Python and tally it with `decision_rules.tally`.

`python -m bench decisions [--rows 1000000] [--positions 100000] [--seed 0]`
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

GROUPS = [
    "government",
    "private_sector",
    "civil_society",
    "technical_community",
    "academia",
    "intergovernmental",
    "individual",
]
STANCES = ["support", "can-live-with", "oppose", "abstain"]
BATCH = 5000


def _median_ms(call: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    result = call()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def rules(rows_count: int, seed: int) -> None:
    from polyvox.analytics.decision_rules import GroupTally, tally, what_if

    rng = random.Random(seed)
    rows = [(f"v{i}", rng.choice(GROUPS), rng.choice(STANCES)) for i in range(rows_count)]

    def ours() -> list[Any]:
        return what_if(tally(rows))

    def counter() -> list[Any]:
        counted = Counter((group, stance) for _voter, group, stance in rows)
        groups: dict[str, dict[str, int]] = {}
        for (group, stance), n in counted.items():
            groups.setdefault(group, {})[stance] = n
        return what_if({g: GroupTally.from_counts(c) for g, c in groups.items()})

    ours_ms, ours_result = _median_ms(ours, repeat=3)
    base_ms, base_result = _median_ms(counter, repeat=3)
    same = [r.to_json() for r in ours_result] == [r.to_json() for r in base_result]
    print(f"{'rules on ' + format(rows_count, ',') + ' rows':<44} {'ms':>9}")
    print(f"{'ours: tally (duplicate check) + what_if':<44} {ours_ms:>9.1f}")
    print(f"{'baseline: Counter (no check) + what_if':<44} {base_ms:>9.1f}")
    print(f"same seven results: {same}; ours / baseline = {ours_ms / base_ms:.2f}")


def generate(positions: int, seed: int) -> dict[str, Any]:
    """One process, one recommendation, `positions` participants each with a position."""
    from django.utils import timezone

    from polyvox.outcomes.models import Position, Recommendation
    from polyvox.participants.models import Profile, User
    from polyvox.processes.models import Membership, Process, Role

    rng = random.Random(seed)
    sofia = User.objects.create(username="sofia", email="sofia@bench.example")
    Profile.objects.create(user=sofia, display_name="Sofia", stakeholder_group="government")
    process = Process.objects.create(slug="bench", title="Bench", mandate="m", created_by=sofia)
    Membership.objects.create(process=process, user=sofia, role=Role.SECRETARIAT)
    recommendation = Recommendation.objects.create(
        process=process, number=1, title="Open the funds", text="t", created_by=sofia
    )
    now = timezone.now()
    countries = ["KE", "BR", "IN", "DE", "US", "FR", "JP", "EG", "MX", "ID"]
    for start in range(0, positions, BATCH):
        users = User.objects.bulk_create(
            [
                User(username=f"p{i}", email=f"p{i}@bench.example")
                for i in range(start, min(start + BATCH, positions))
            ]
        )
        Profile.objects.bulk_create(
            Profile(
                user=user,
                display_name=user.username,
                stakeholder_group=rng.choice(GROUPS),
                country=rng.choice(countries),
            )
            for user in users
        )
        Position.objects.bulk_create(
            Position(
                recommendation=recommendation,
                author=user,
                position=rng.choice(STANCES),
                updated_at=now,
            )
            for user in users
        )
    return {"sofia": sofia, "recommendation": recommendation}


def app(positions: int, seed: int) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from polyvox.analytics.decision_rules import tally, what_if
    from polyvox.outcomes.models import Position
    from polyvox.outcomes.selectors.decisions import live_what_if, tallies
    from polyvox.outcomes.selectors.recommendations import evidence

    if settings.DEBUG:
        raise SystemExit("DEBUG is on; the benchmark measures with DEBUG off")
    call_command("migrate", verbosity=0)
    setup_test_environment()
    start = time.perf_counter()
    made = generate(positions, seed)
    recommendation = made["recommendation"]
    print(
        f"\ngenerated {positions:,} positions (seed {seed}) in {time.perf_counter() - start:.1f} s"
    )
    print(f"SQLite {connection.Database.sqlite_version}, DEBUG off")
    client = Client()
    client.force_login(made["sofia"])
    last_page = positions // 50
    timed: list[tuple[str, Callable[[], Any]]] = [
        ("selector: tallies (one grouped query)", lambda: tallies(recommendation)),
        ("selector: live what-if, 7 presets", lambda: live_what_if(recommendation)),
        ("selector: evidence (group, region)", lambda: evidence(recommendation)),
        ("page: recommendation with decision panel", lambda: client.get("/p/bench/outcomes/1/")),
        ("page: recommendations list", lambda: client.get("/p/bench/outcomes/")),
        ("page: outcome document", lambda: client.get("/p/bench/outcome/")),
        (
            f"page: named positions, page {last_page:,}",
            lambda: client.get(f"/p/bench/outcomes/1/positions/?page={last_page}"),
        ),
        ("api: /decisions", lambda: client.get("/api/v1/processes/bench/decisions")),
    ]
    status = 0
    worst = 0.0
    measured: dict[str, float] = {}
    print(f"{'request or selector':<44} {'ms':>9} {'bytes':>8}")
    for name, call in timed:
        ms, result = _median_ms(call)
        measured[name] = ms
        size = len(result.content) if hasattr(result, "content") else 0
        ok = getattr(result, "status_code", 200) == 200
        worst = max(worst, ms)
        flag = "" if ok and ms < 1000 else "  <-- FAIL"
        status |= 0 if ok and ms < 1000 else 1
        print(f"{name:<44} {ms:>9.1f} {size:>8,}{flag}", flush=True)

    def load_everything() -> list[Any]:
        everyone = Position.objects.filter(recommendation=recommendation).select_related(
            "author__profile"
        )
        rows = (
            (str(p.author_id), p.author.profile.stakeholder_group, p.position) for p in everyone
        )
        return what_if(tally(rows))

    ms, _ = _median_ms(load_everything, repeat=1)
    print(f"{'baseline: every position into Python':<44} {ms:>9.1f}")
    ratio = ms / measured[timed[0][0]]
    print(f"slowest request {worst:.1f} ms; baseline / grouped tallies = {ratio:.0f}x")
    return status


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench decisions")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows for the pure rules")
    parser.add_argument("--positions", type=int, default=100_000, help="positions in the app")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rules(args.rows, args.seed)
    with tempfile.TemporaryDirectory(prefix="polyvox-bench-decisions-") as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        os.environ["POLYVOX_DEBUG"] = "0"
        os.environ["POLYVOX_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polyvox.config.settings")
        try:
            return app(args.positions, args.seed)
        finally:
            from django.db import connections

            connections.close_all()


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
