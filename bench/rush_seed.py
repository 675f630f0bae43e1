"""Deadline rush, the part that runs inside one code variant (its own `polyvox` on sys.path).

`python -m bench.rush_seed seed --clients N` migrates the database of DATABASE_URL and writes one
process in an open call for inputs, one participant per client (complete profiles, stakeholder
groups and countries mixed) and a signed-in session each (SessionStore: the login's password
hashing is not what is measured); it prints one JSON line with what the load generator needs.

`python -m bench.rush_seed profile --submissions N` times the request path in one process:
queries per submission (CaptureQueriesContext) and the functions that cost most (cProfile),
through Django's test client against the same API the clients use.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
import uuid
from datetime import timedelta
from typing import Any

SLUG = "deadline-rush"
GROUPS = [
    "civil_society",
    "private_sector",
    "government",
    "technical_community",
    "academia",
    "individual",
    "intergovernmental",
]
COUNTRIES = ["KE", "BR", "IN", "DE", "US", "JP", "EG", "MX", "FR", "CN", "AR", "RU"]


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polyvox.config.settings")
    import django

    django.setup()


def seed(clients: int) -> dict[str, Any]:
    """Migrate, then the process, its open phase, the participants and their sessions."""
    _setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from polyvox.participants.models import Profile, User
    from polyvox.processes.models import Phase, Process
    from polyvox.processes.phase_types import PhaseKind

    call_command("migrate", verbosity=0)
    chair = User.objects.create(username="rush-chair", email="chair@rush.invalid", is_staff=True)
    process = Process.objects.filter(slug=SLUG).first() or Process.objects.create(
        slug=SLUG,
        title="Deadline rush",
        mandate="Inputs on the draft principles, due tonight.",
        languages=["en"],
        created_by=chair,
    )
    now = timezone.now()
    Phase.objects.create(
        process=process,
        kind=PhaseKind.CALL_FOR_INPUTS,
        title="Call for inputs",
        starts_at=now - timedelta(days=7),
        ends_at=now + timedelta(days=7),
    )
    users = User.objects.bulk_create(
        User(
            username=f"rush{i}",
            email=f"rush{i}@rush.invalid",
            password="!",  # noqa: S106 (an unusable password)
            email_verified_at=now,
        )
        for i in range(clients)
    )
    Profile.objects.bulk_create(
        Profile(
            user=user,
            display_name=f"Rush Participant {i}",
            stakeholder_group=GROUPS[i % len(GROUPS)],
            country=COUNTRIES[i % len(COUNTRIES)],
            organisation="" if i % 3 else f"Organisation {i % 17}",
        )
        for i, user in enumerate(users)
    )
    sessions = []
    # The backend that signs people in (axes' backend only guards the password check).
    backend = "django.contrib.auth.backends.ModelBackend"
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append({"user": user.pk, "email": user.email, "session": store.session_key})
    return {
        "slug": process.slug,
        "process_id": process.pk,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "debug": settings.DEBUG,
        "clients": sessions,
    }


def profile(submissions: int, top: int) -> dict[str, Any]:
    """Queries and time per submission through the API in one process (test client, DEBUG off)."""
    _setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from polyvox.participants.models import User

    setup_test_environment()  # the test client's host; mail to the locmem outbox, not to SMTP
    settings.ALLOWED_HOSTS = ["testserver"]
    user = User.objects.get(username="rush0")
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    url = f"/api/v1/processes/{SLUG}/submissions"

    def send() -> int:
        key = uuid.uuid4().hex
        response = client.post(
            url,
            data=json.dumps({"text": f"Profiled submission key={key}: keep the internet open."}),
            content_type="application/json",
            headers={"Idempotency-Key": key},
        )
        return response.status_code

    for _ in range(20):  # warm-up: imports, translations, the first queries' plans
        send()
    with CaptureQueriesContext(connection) as queries:
        status = send()
    statements = [q["sql"] for q in queries.captured_queries]
    started = time.perf_counter()
    profiler = cProfile.Profile()
    profiler.enable()
    statuses = [send() for _ in range(submissions)]
    profiler.disable()
    seconds = time.perf_counter() - started
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    return {
        "status": status,
        "statuses": sorted(set(statuses)),
        "queries_per_submission": len(statements),
        "queries": [s[:160] for s in statements],
        "ms_per_submission_profiled": 1000 * seconds / submissions,
        "cprofile": out.getvalue(),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.rush_seed")
    parser.add_argument("action", choices=["seed", "profile"])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    result = seed(args.clients) if args.action == "seed" else profile(args.submissions, args.top)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
