"""Indicators benchmark: a process's figures at 100,000 inputs, the page, the API and the report.

Builds on the workbench benchmark's seeded process (`bench.workbench.generate`: N inputs, 40 %
answered, five campaigns, a draft version) in a fresh PostgreSQL database of its own (created
and dropped by `bench.workbench._database`/`_drop`), then adds what the indicators read, seeded
and deterministic: every author a profile with a country (spread over every M49 region, about
half Global South; 5 % not stated) and a self-described gender (a few categories in varied
spelling, some not stated, and rare ones held by authors of one to four inputs, which the
suppression must hide); each input's country copied from its author's profile; replies (5 % of
the inputs) across stakeholder groups; a second draft version and two commenting phases (the
circulation figures and a "short circulation" alert); 0.5 % of inputs hidden by moderation; and
four participation targets (one missed).

Then, with DEBUG off, the median of 5 runs after one warm-up of each of:
`indicators.selectors.process_indicators` (the suppression's LP caches cleared before each run,
so each is a cold computation), the indicators page as a visitor and as the secretariat, the
API, the report in HTML, and the PDF report (one run). A further run of each under
`CaptureQueriesContext` counts the queries and the rows they returned. The baseline, in the same
run: the naive approach that reads every input with its author's gender, its country,
organisation and answer into Python and counts there, then calls the same pure functions.

The query counts are then taken again with 90 % of the inputs hidden (a tenth of the size):
they must not change. Exit 1 when a page takes over 2 s or a query count grows with size.

`DATABASE_URL=postgres://… python -m bench indicators [--inputs 100000] [--seed 0]`
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bench.workbench import _database, _drop, generate, own_data_dir

BATCH = 5000
PAGE_LIMIT_MS = 2000.0
# The PDF is a download, not a page: WeasyPrint lays out the whole report (about 5 s of it on a
# loaded 2-core machine whatever the process's size); it fails past 10 s.
PDF_LIMIT_MS = 10_000.0
# ISO codes by M49 region; the weights give about half the inputs from the Global South.
COUNTRIES: list[tuple[str, int]] = [
    # Africa (Global South)
    ("NG", 5), ("KE", 4), ("ZA", 4), ("EG", 3), ("SN", 2), ("ET", 2),
    # Americas: Latin America (Global South), Northern America (not)
    ("BR", 5), ("MX", 3), ("AR", 2), ("CO", 2), ("US", 8), ("CA", 3),
    # Asia: mostly Global South; Japan and Korea not
    ("IN", 6), ("CN", 3), ("ID", 3), ("PH", 2), ("JP", 3), ("KR", 2),
    # Europe (not Global South)
    ("DE", 5), ("FR", 5), ("GB", 5), ("PL", 2), ("SE", 2), ("IT", 2),
    # Oceania: Australia and New Zealand not; the Pacific islands Global South
    ("AU", 2), ("NZ", 1), ("FJ", 1), ("PG", 1),
    # not stated
    ("", 6),
]  # fmt: skip
# Self-described genders as people type them (the indicators trim and case-fold them).
GENDERS: list[tuple[str, int]] = [
    ("woman", 30), ("Woman", 8), ("female", 6), ("man", 30), ("Man ", 6), ("male", 4),
    ("non-binary", 4), ("", 12),
]  # fmt: skip
# Held by a single author each, of 1 to 4 inputs: cells the suppression must hide.
RARE_GENDERS = ["agender", "two-spirit", "genderqueer", "genderfluid", "demigirl", "bigender"]


def enrich(made: dict[str, Any], seed: int) -> dict[str, int]:
    """Profiles, countries, rare genders, replies, a second version, phases, hidden inputs and
    targets on top of `generate`'s process. Deterministic for a seed."""
    from django.db import connection
    from django.utils import timezone

    from polyvox.contributions.models import Contribution
    from polyvox.drafts.models import Draft, DraftVersion, Section
    from polyvox.participants.models import Profile, User
    from polyvox.processes.models import ParticipationTarget, Phase
    from polyvox.processes.phase_types import PhaseKind

    rng = random.Random(seed + 1)
    process, sofia = made["process"], made["sofia"]
    now = timezone.now()
    codes = [c for c, w in COUNTRIES for _ in range(w)]
    genders = [g for g, w in GENDERS for _ in range(w)]
    authors = list(User.objects.filter(contributions__process=process).distinct().order_by("pk"))
    Profile.objects.bulk_create(
        Profile(user=user, display_name=user.username, stakeholder_group="civil_society")
        for user in (sofia, made["ravi"])
    )
    Profile.objects.bulk_create(
        (
            Profile(
                user=user,
                display_name=user.username,
                country=rng.choice(codes),
                gender=rng.choice(genders),
            )
            for user in authors
        ),
        batch_size=BATCH,
    )
    # Rare genders: one new author each, who takes over 1 to 4 inputs.
    ids = list(
        Contribution.objects.filter(process=process).order_by("pk").values_list("pk", flat=True)
    )
    taken = rng.sample(ids, 4 * len(RARE_GENDERS))
    for n, gender in enumerate(RARE_GENDERS):
        user = User.objects.create(username=f"rare{n}", email=f"rare{n}@bench.invalid")
        Profile.objects.create(
            user=user, display_name=user.username, country=rng.choice(codes), gender=gender
        )
        mine = taken[4 * n : 4 * n + rng.randint(1, 4)]
        Contribution.objects.filter(pk__in=mine).update(author=user, author_name=user.username)
    with connection.cursor() as cursor:
        # The byline's country is the author's profile's at submission time.
        cursor.execute(
            "UPDATE contributions_contribution c SET country = p.country "
            "FROM participants_profile p WHERE p.user_id = c.author_id AND c.process_id = %s",
            [process.pk],
        )
    # Replies: 5 % of the inputs get one, from a random author (often of another group).
    groups = sorted(set(Contribution.objects.filter(process=process).values_list(
        "stakeholder_group", flat=True).distinct()))  # fmt: skip
    parents = rng.sample(ids, len(ids) // 20)
    country_of = dict(Profile.objects.filter(user__in=authors).values_list("user_id", "country"))
    Contribution.objects.bulk_create(
        (
            Contribution(
                process=process,
                kind="reply",
                parent_id=parent,
                author=(author := rng.choice(authors)),
                author_name=author.username,
                stakeholder_group=rng.choice(groups),
                country=country_of[author.pk],
                body="I agree with this input, and would add a word on rural access.",
                tracking_number=f"BR-{n:07d}",
            )
            for n, parent in enumerate(parents)
        ),
        batch_size=BATCH,
    )
    # Moderation hid 0.5 % of the inputs (they are not counted).
    hidden = rng.sample(ids, len(ids) // 200)
    Contribution.objects.filter(pk__in=hidden).update(hidden_at=now, hidden_reason="Spam.")
    # Circulation: version 1 published as the first commenting phase opened (125 days ago);
    # version 2 published 35 days ago, 60 days before its phase closes but that phase should
    # last 90 days (the alert), with sections carried over.
    draft = Draft.objects.get(process=process)
    first = DraftVersion.objects.get(draft=draft, number=1)
    DraftVersion.objects.filter(pk=first.pk).update(published_at=now - timedelta(days=125))
    second = DraftVersion.objects.create(
        draft=draft,
        number=2,
        source_markdown="",
        published_at=now - timedelta(days=35),
        published_by=sofia,
    )
    Section.objects.bulk_create(
        Section(version=second, anchor=f"s{n}", order=n, level=0, heading=f"S{n}", text="…")
        for n in range(12)
    )
    Phase.objects.bulk_create(
        [
            Phase(
                process=process,
                kind=PhaseKind.DRAFT_COMMENT,
                title="First reading",
                starts_at=now - timedelta(days=125),
                ends_at=now - timedelta(days=40),
                min_days=60,
            ),
            Phase(
                process=process,
                kind=PhaseKind.DRAFT_COMMENT,
                title="Second reading",
                starts_at=now - timedelta(days=36),
                ends_at=now + timedelta(days=25),
                min_days=90,
            ),
        ]
    )
    ParticipationTarget.objects.bulk_create(
        ParticipationTarget(process=process, dimension=d, value=v, min_share=s, created_by=sofia)
        for d, v, s in [
            ("stakeholder_group", "government", "0.100"),  # no input from governments: missed
            ("region", "Africa", "0.150"),
            ("gender", "woman", "0.400"),
            ("global_south", "global_south", "0.400"),
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"authors": len(authors) + len(RARE_GENDERS), "replies": len(parents)}


def _clear_caches() -> None:
    """The suppression keeps its linear programs' answers in `lru_cache`s: a cold run clears them."""
    from polyvox.analytics import indicators_suppression as suppression

    suppression._range.cache_clear()
    suppression._end.cache_clear()


def _median_ms(call: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    _clear_caches()
    result = call()  # warm-up
    times = []
    for _ in range(repeat):
        _clear_caches()
        start = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def _counted(call: Callable[[], Any]) -> tuple[int, int]:
    """(queries, rows returned) of one cold run of `call`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = 0

    def count_rows(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal rows
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            rows += max(context["cursor"].rowcount, 0)
        return result

    _clear_caches()
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(count_rows):
        call()
    return len(captured.captured_queries), rows


def naive_figures(process: Any) -> int:
    """The baseline: every input (with its author's gender, country, organisation and answer)
    read into Python and counted there, then the same pure functions. Returns the rows read."""
    from polyvox.analytics import indicators as pure
    from polyvox.analytics import indicators_participation as people
    from polyvox.contributions.models import Contribution
    from polyvox.participants.models import StakeholderGroup
    from polyvox.participants.regions import region_of

    rows = list(
        Contribution.objects.filter(process=process)
        .values_list(
            "kind",
            "hidden_at",
            "stakeholder_group",
            "country",
            "author__profile__gender",
            "organisation",
            "created_at",
            "disposition__reason",
            "disposition__created_at",
            "campaign_membership__id",
            "parent__stakeholder_group",
        )
        .order_by()
    )
    slices: Counter[tuple[str, str, bool, str]] = Counter()
    organisations: Counter[str] = Counter()
    waits: Counter[float] = Counter()
    inputs = answered = with_reason = campaign = replies = cross = 0
    for kind, hidden, group, country, gender, org, created, reason, answered_at, member, parent in rows:  # fmt: skip
        if hidden is not None:
            continue
        if kind == "reply":
            replies += 1
            cross += group != parent
            continue
        region = region_of(country)
        slices[(group, region.region if region else "", bool(region and region.global_south), gender or "")] += 1  # fmt: skip
        inputs += 1
        organisations[org] += bool(org)
        campaign += member is not None
        if answered_at is not None:
            answered += 1
            with_reason += bool(reason)
            waits[max((answered_at - created).total_seconds() // 3600, 0) / 24] += 1
    people.participation(
        [people.Slice(g, r, gs, s, n) for (g, r, gs, s), n in slices.items()],
        groups=[g.value for g in StakeholderGroup],
    )
    pure.responsiveness(
        inputs=inputs, answered=answered, answered_with_reason=with_reason, days_to_answer=waits
    )
    pure.concentration(by_organisation=organisations, inputs=inputs, campaign_inputs=campaign)
    pure.interaction(replies=replies, cross_group_replies=cross, answers_given=answered)
    return len(rows)


def run(inputs: int, seed: int) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from polyvox.contributions.models import Contribution
    from polyvox.indicators.selectors import process_indicators
    from polyvox.participants.services import accept_consents, current_versions

    if settings.DEBUG:
        raise SystemExit("DEBUG is on; the benchmark measures with DEBUG off")
    call_command("migrate", verbosity=0)
    setup_test_environment()
    call_command("collectstatic", interactive=False, verbosity=0)  # hashed names, as in production
    start = time.perf_counter()
    made = generate(inputs, seed)
    extra = enrich(made, seed)
    print(
        f"generated {inputs:,} inputs, {extra['replies']:,} replies, {extra['authors']:,} authors "
        f"(seed {seed}) in {time.perf_counter() - start:.1f} s"
    )
    print(f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}, DEBUG off")
    process = made["process"]
    accept_consents(made["sofia"], current_versions())  # else the pages redirect to the terms
    visitor, secretariat = Client(), Client()
    secretariat.force_login(made["sofia"])

    def get(client: Client, path: str) -> Callable[[], Any]:
        def call() -> Any:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)  # noqa: S101
            return response

        return call

    base = "/p/bench/indicators/"
    api = "/api/v1/processes/bench/indicators"
    timed: list[tuple[str, Callable[[], Any], int, float]] = [
        ("process_indicators(process)", lambda: process_indicators(process), 5, PAGE_LIMIT_MS),
        ("page, visitor", get(visitor, base), 5, PAGE_LIMIT_MS),
        ("page, secretariat", get(secretariat, base), 5, PAGE_LIMIT_MS),
        ("API " + api + ", visitor", get(visitor, api), 5, PAGE_LIMIT_MS),
        ("report HTML, secretariat", get(secretariat, base + "report/"), 5, PAGE_LIMIT_MS),
        ("report PDF, secretariat (1 run)", get(secretariat, base + "report.pdf"), 1, PDF_LIMIT_MS),
    ]
    status = 0
    counts: dict[str, tuple[int, int]] = {}
    print(f"{'what':<48} {'ms':>9} {'queries':>8} {'rows read':>10}")
    for name, call, repeat, limit in timed:
        ms, _ = _median_ms(call, repeat=repeat)
        queries, rows = _counted(call)
        counts[name] = (queries, rows)
        slow = ms > limit
        status |= int(slow)
        flag = f"  <-- over {limit / 1000:.0f} s" if slow else ""
        print(f"{name:<48} {ms:>9.1f} {queries:>8} {rows:>10,}{flag}", flush=True)
    ms, rows_read = _median_ms(lambda: naive_figures(process), repeat=1)
    queries, _ = _counted(lambda: naive_figures(process))
    print(f"{'baseline: read every input, count in Python':<48} {ms:>9.1f} {queries:>8} {rows_read:>10,}")  # fmt: skip
    figures = process_indicators(process)
    participation = figures["participation"]
    cells = [
        *participation["by_group"],
        *participation["by_region"],
        *participation["by_gender"],
        *participation["cross"],
    ]
    suppressed = sum(1 for cell in cells if cell["count"] is None)
    print(
        f"figures: {participation['inputs']:,} inputs counted, {participation['participants']:,} "
        f"participants, {len(participation['cross'])} cross cells, {len(cells)} cells in all, "
        f"{suppressed} suppressed; {figures['interaction']['replies']:,} replies; "
        f"{len(figures['circulation'])} versions; {len(figures['alerts'])} alerts"
    )
    # The same calls at a tenth of the size: hide 90 % of the inputs, count the queries again.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE contributions_contribution SET hidden_at = now() "
            "WHERE process_id = %s AND id %% 10 <> 0",
            [process.pk],
        )
        cursor.execute("ANALYZE contributions_contribution")
    small = Contribution.objects.public().filter(process=process).exclude(kind="reply").count()
    print(f"query counts at {small:,} visible inputs (90 % hidden):")
    for name, call, _repeat, _limit in timed:
        queries, rows = _counted(call)
        grows = queries > counts[name][0]
        status |= int(grows)
        flag = "  <-- grows with size" if grows else " same" if queries == counts[name][0] else ""
        print(f"{name:<48} {'':>9} {queries:>8} {rows:>10,}{flag}", flush=True)
    return status


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench indicators")
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    db_url, name = _database(url)
    os.environ["DATABASE_URL"] = db_url
    os.environ["POLYVOX_DEBUG"] = "0"
    os.environ["POLYVOX_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polyvox.config.settings")
    try:
        with own_data_dir("indicators"):
            return run(args.inputs, args.seed)
    finally:
        from django.db import connections

        connections.close_all()
        _drop(url, name)


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
