"""Workbench benchmark: 100,000 seeded inputs in one process, every workbench page variant timed.

Creates a fresh PostgreSQL database next to DATABASE_URL (dropped afterwards; its role needs
CREATEDB), migrates it, writes N inputs with a seeded generator (bulk_create in batches; 40 %
answered, 5 % with a proposed answer awaiting review, 20 % assigned, 10 % in five campaigns,
ages spread over 120 days), then times the server side of each page through Django's test
client with DEBUG off: the median of 5 requests after one warm-up. The baseline, in the same
run, is the workbench as it was before this change (commit 4302d80): one unpaginated query of
every input with its answer, evaluated in full, as its page did.

`DATABASE_URL=postgres://… python -m bench workbench [--inputs 100000] [--seed 0]`
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

BATCH = 5000
WORDS = [
    "access",
    "community",
    "networks",
    "spectrum",
    "licence",
    "rights",
    "privacy",
    "data",
    "open",
    "standards",
    "policy",
    "rural",
    "connectivity",
    "infrastructure",
    "security",
    "encryption",
    "governance",
    "multistakeholder",
    "capacity",
    "development",
    "gender",
    "inclusion",
    "language",
    "platform",
    "accountability",
    "transparency",
]
GROUPS = ["civil_society", "private_sector", "academia", "individual", "technical_community"]
ORGS = ["", "", "", "Open Spectrum Alliance", "Rural Link", "Data Rights Lab", "NetCo"]
KINDS = ["comment"] * 6 + ["general", "omission", "submission"]


def _database(url: str) -> tuple[str, str]:
    import psycopg

    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench workbench: set DATABASE_URL to a PostgreSQL database")
    base, _, _ = url.rpartition("/")
    name = f"polyvox_bench_workbench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}", name


def _drop(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def generate(inputs: int, seed: int) -> dict[str, Any]:
    """The seeded process: users, one draft version of 12 sections, `inputs` inputs."""
    from django.db import connection
    from django.utils import timezone

    from polyvox.campaigns.models import Campaign, CampaignMembership
    from polyvox.contributions.models import (
        Assignment,
        Contribution,
        Disposition,
        ProposedAnswer,
    )
    from polyvox.drafts.models import Draft, DraftVersion, Section
    from polyvox.organisations.models import Organisation
    from polyvox.participants.models import User
    from polyvox.processes.models import Membership, Process, Role

    rng = random.Random(seed)
    sofia = User.objects.create(username="sofia", email="sofia@bench.invalid")
    ravi = User.objects.create(username="ravi", email="ravi@bench.invalid")
    process = Process.objects.create(slug="bench", title="Workbench", mandate="-", created_by=sofia)
    Membership.objects.create(process=process, user=sofia, role=Role.SECRETARIAT)
    Membership.objects.create(process=process, user=ravi, role=Role.RAPPORTEUR)
    # Inputs "on behalf of" an organisation name its row (check `on_behalf_names_the_organisation`).
    organisations = {
        name: Organisation.objects.create(
            name=name, slug=f"bench-{n}", stakeholder_group=GROUPS[n % len(GROUPS)]
        )
        for n, name in enumerate(sorted(set(ORGS) - {""}))
    }
    authors = User.objects.bulk_create(
        User(username=f"voice{n}", email=f"voice{n}@bench.invalid") for n in range(2000)
    )
    draft = Draft.objects.create(process=process, slug="principles", title="Principles")
    version = DraftVersion.objects.create(
        draft=draft, number=1, source_markdown="", published_at=timezone.now(), published_by=sofia
    )
    sections = Section.objects.bulk_create(
        Section(version=version, anchor=f"s{n}", order=n, level=0, heading=f"S{n}", text="…")
        for n in range(12)
    )
    for start in range(0, inputs, BATCH):
        Contribution.objects.bulk_create(
            [_input(rng, n, process, authors, sections, version, organisations) for n in range(start, min(start + BATCH, inputs))],
            batch_size=BATCH,
        )  # fmt: skip
    with connection.cursor() as cursor:
        # Received over 120 days, oldest first (auto_now_add set them all to now).
        cursor.execute(
            "UPDATE contributions_contribution SET created_at = now() - "
            "((%s - id) * interval '120 days' / %s) WHERE process_id = %s",
            [inputs + 1, inputs, process.pk],
        )
    ids = list(Contribution.objects.filter(process=process).values_list("pk", flat=True))
    picks = {pk: rng.random() for pk in ids}
    Disposition.objects.bulk_create(
        (
            Disposition(contribution_id=pk, outcome="noted", reason="Considered.", decided_by=sofia)
            for pk, r in picks.items()
            if r < 0.40
        ),
        batch_size=BATCH,
    )
    ProposedAnswer.objects.bulk_create(
        (
            ProposedAnswer(contribution_id=pk, outcome="noted", reason="Soon.", proposed_by=ravi)
            for pk, r in picks.items()
            if 0.40 <= r < 0.45
        ),
        batch_size=BATCH,
    )
    Assignment.objects.bulk_create(
        (
            Assignment(contribution_id=pk, assignee=sofia if r < 0.6 else ravi, assigned_by=sofia)
            for pk, r in picks.items()
            if (r * 10) % 1 < 0.2
        ),
        batch_size=BATCH,
    )
    members = [pk for pk, r in picks.items() if r >= 0.9]
    for c in range(5):
        part = members[c::5]
        campaign = Campaign.objects.create(process=process, template_id=part[0], size=len(part))
        CampaignMembership.objects.bulk_create(
            (CampaignMembership(campaign=campaign, contribution_id=pk) for pk in part),
            batch_size=BATCH,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"process": process, "sofia": sofia, "ravi": ravi}


def _input(rng: random.Random, n: int, process: Any, authors: list[Any], sections: list[Any], version: Any, organisations: dict[str, Any]) -> Any:  # fmt: skip
    from polyvox.contributions.models import Contribution

    kind = rng.choice(KINDS)
    author = authors[n % len(authors)]
    body = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(30, 250)))
    group, organisation = rng.choice(GROUPS), rng.choice(ORGS)
    claimed = rng.random() < 0.3 and organisation != ""
    return Contribution(
        process=process,
        kind=kind,
        draft_version=version if kind != "comment" else None,
        section=rng.choice(sections) if kind == "comment" else None,
        author=author,
        author_name=author.username,
        stakeholder_group=group,
        organisation=organisation,
        on_behalf_of_organisation=claimed,
        on_behalf_of=organisations[organisation] if claimed else None,
        body=body,
        tracking_number=f"BW-{n:07d}",
    )


VARIANTS: list[tuple[str, dict[str, str]]] = [
    ("first page", {}),
    ("deep page (page 1,000)", {"page": "1000"}),
    ("last page (page 2,000)", {"page": "2000"}),
    ("search 'spectrum licence'", {"q": "spectrum licence"}),
    ("search, rare word 'BW-0054321'", {"q": "BW-0054321"}),
    ("section s3", {"section": "s3"}),
    ("kind omission", {"kind": "omission"}),
    ("stakeholder group academia", {"stakeholder_group": "academia"}),
    ("organisation 'spectrum'", {"organisation": "spectrum"}),
    ("answered", {"answered": "yes"}),
    ("not yet answered", {"answered": "no"}),
    ("proposed, awaiting review", {"answered": "proposed"}),
    ("assigned to ravi", {"assignee": "RAVI"}),
    ("my queue", {"assignee": "mine"}),
    ("no one assigned", {"assignee": "none"}),
    ("unanswered > 30 days", {"answered": "no", "older_than": "30"}),
    ("sort newest", {"sort": "newest"}),
    ("sort section", {"sort": "section"}),
    ("sort kind", {"sort": "kind"}),
    ("sort section, deep page 500", {"sort": "section", "page": "500"}),
    ("my queue, unanswered, search", {"assignee": "mine", "answered": "no", "q": "privacy"}),
    ("review list (proposed answers)", {"_path": "review"}),
]


@contextmanager
def own_data_dir(bench: str) -> Iterator[None]:
    """A data folder of the benchmark's own, so that collectstatic (pages are served with hashed
    static names, as in production) writes there, not in the checkout's var/."""
    data = tempfile.mkdtemp(prefix=f"polyvox-bench-{bench}-")
    os.environ["POLYVOX_DATA_DIR"] = data
    try:
        yield
    finally:
        shutil.rmtree(data, ignore_errors=True)


def _median_ms(call: Any, repeat: int = 5) -> tuple[float, Any]:
    result = call()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def run(inputs: int, seed: int, reuse: bool = False) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from polyvox.contributions.models import Contribution
    from polyvox.contributions.selectors.threads import with_answers
    from polyvox.participants.services import accept_consents, current_versions

    if settings.DEBUG:
        raise SystemExit("DEBUG is on; the benchmark measures with DEBUG off")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    setup_test_environment()  # the test client's response.context (row counts), testserver host
    start = time.perf_counter()
    if reuse:
        from polyvox.participants.models import User
        from polyvox.processes.models import Process

        made = {
            "process": Process.objects.get(slug="bench"),
            "sofia": User.objects.get(username="sofia"),
            "ravi": User.objects.get(username="ravi"),
        }
        inputs = Contribution.objects.filter(process=made["process"]).count()
        print(f"reusing {inputs:,} inputs")
    else:
        made = generate(inputs, seed)
        print(f"generated {inputs:,} inputs (seed {seed}) in {time.perf_counter() - start:.1f} s")
    print(f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}, DEBUG off")
    accept_consents(made["sofia"], current_versions())  # else every page redirects to the terms
    client = Client()
    client.force_login(made["sofia"])
    base = "/p/bench/workbench/"
    status = 0
    print(f"{'page':<36} {'ms':>8} {'rows':>5} {'matching':>9}")
    worst = 0.0
    for name, params in VARIANTS:
        query = dict(params)
        path = base + ("review/" if query.pop("_path", "") == "review" else "")
        if query.get("assignee") == "RAVI":
            query["assignee"] = str(made["ravi"].pk)
        ms, response = _median_ms(lambda p=path, q=query: client.get(p, q))
        ok = response.status_code == 200
        context = response.context or {}
        rows = len(context.get("rows", context.get("proposals", []) or []))
        page = context.get("page")
        count = page.paginator.count if page is not None else rows
        worst = max(worst, ms)
        flag = "" if ok and ms < 1000 else "  <-- FAIL"
        status |= 0 if ok and ms < 1000 else 1
        print(f"{name:<36} {ms:>8.1f} {rows:>5} {count:>9,}{flag}", flush=True)
    # Baseline: the workbench before this change, which read every input of the process.
    old = with_answers(Contribution.objects.filter(process=made["process"])).exclude(kind="reply")
    ms, rows = _median_ms(lambda: len(list(old.all())), repeat=1)
    print(f"{'baseline: old unpaginated query':<36} {ms:>8.1f} {rows:>5,}")
    print(f"slowest page {worst:.1f} ms; baseline / slowest page = {ms / worst:.0f}x")
    return status


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench workbench")
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the generated database")
    parser.add_argument("--reuse", metavar="NAME", help="time pages on a kept database")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    db_url, name = (
        (url.rpartition("/")[0] + "/" + args.reuse, args.reuse) if args.reuse else _database(url)
    )
    os.environ["DATABASE_URL"] = db_url
    os.environ["POLYVOX_DEBUG"] = "0"
    os.environ["POLYVOX_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polyvox.config.settings")
    try:
        with own_data_dir("workbench"):
            return run(args.inputs, args.seed, reuse=bool(args.reuse))
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep or args.reuse:
            print(f"database kept: {name} (--reuse {name})")
        else:
            _drop(url, name)


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
