"""Low bandwidth in a real browser (issue 13): chromium loads each main page with an empty cache;
every request it makes goes to Polyvox itself, and the bytes it receives (HTML, CSS, JavaScript,
as transferred, compressed) stay under 60 KB.

The server is Django's live server with static files served by the WhiteNoise middleware from
the brotli and gzip copies `collectstatic` makes in production (pytest-django's own live server
serves them itself, uncompressed, which no deployment does).
"""

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.test.testcases import LiveServerThread
from playwright.sync_api import Browser, Request
from whitenoise.compress import Compressor

from polyvox.participants.models import User
from tests.browser.conftest import assert_accessible
from tests.factories import (
    PhaseFactory,
    UserFactory,
    make_secretariat,
    make_statement,
    make_version,
    submit_comment,
)

ROOT = Path(__file__).resolve().parents[2]
BUDGET = 60_000  # bytes on the wire


def through_middleware(handler: Callable[..., Any]) -> Callable[..., Any]:
    """No static handler in front: /static/ reaches WhiteNoise, as with runserver and gunicorn."""
    return handler


@pytest.fixture
def compressed_server(transactional_db: None, settings: Any, tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "static"
    shutil.copytree(ROOT / "polyvox/static", root)
    compressor = Compressor(use_brotli=True, use_gzip=True, quiet=True)
    for path in [p for p in root.rglob("*") if p.is_file()]:
        if compressor.should_compress(path.name):
            compressor.compress(str(path))
    settings.STATIC_ROOT = root
    settings.WHITENOISE_USE_FINDERS = False
    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    for connection in shared.values():
        connection.inc_thread_sharing()
    thread = LiveServerThread("127.0.0.1", through_middleware, connections_override=shared)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.terminate()
        for connection in shared.values():
            connection.dec_thread_sharing()


def test_every_main_page_loads_nothing_from_elsewhere_and_weighs_under_60_kb(
    browser: Browser, compressed_server: str
) -> None:
    base = compressed_server
    phase = PhaseFactory()
    process = phase.process
    make_secretariat(process, username="sofia")
    version = make_version(process)
    author = UserFactory(username="amina")
    comment = submit_comment(author, version.sections.get(anchor="scope"), body="Spectrum first.")
    for n in range(3):
        make_statement(process, f"Community networks need spectrum {n}.")
    voter = UserFactory(username="voter")
    p = f"/p/{process.slug}"
    pages = [
        (None, "/"),
        (None, "/accounts/login/"),
        (None, f"{p}/"),
        (None, f"{p}/drafts/principles/v1/"),
        (None, f"{p}/contributions/"),
        (None, f"{p}/contributions/{comment.tracking_number}/"),
        (None, f"{p}/record/"),
        (None, f"{p}/statements/"),
        (voter, f"{p}/statements/"),
    ]
    weights = {}
    for user, path in pages:
        context = browser.new_context(locale="en-GB")  # an empty cache for every page
        if user is not None:
            context.add_cookies([session_cookie(base, user)])
        page = context.new_page()
        finished: list[Request] = []
        page.on("requestfinished", lambda request, into=finished: into.append(request))
        response = page.goto(base + path, wait_until="load")
        assert response is not None
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        urls = [r.url for r in finished]
        elsewhere = [u for u in urls if not u.startswith(base + "/") and not u.startswith("data:")]
        assert elsewhere == [], f"{path} asked another site for {elsewhere}"
        assert any(u.endswith("/static/js/htmx.min.js") for u in urls), urls
        weights[path if user is None else f"{path} (signed in)"] = sum(
            r.sizes()["responseBodySize"] for r in finished
        )
        if path == "/":
            assert_accessible(page)
        context.close()

    assert {page: size for page, size in weights.items() if size >= BUDGET} == {}
    # Compressed, not empty: htmx alone is 52 KB raw and about 15 KB in brotli.
    assert all(size > 15_000 for size in weights.values()), weights


def session_cookie(base: str, user: User) -> dict[str, Any]:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base,
    }
