"""Low bandwidth (issue 13): static files compressed in every mode the README runs, and every main
page under 60 KB on the wire, HTML, CSS and JavaScript together, with nothing from another site.

The demo is the real `runserver` with POLYVOX_DEBUG=1 (as `make demo` runs it), over HTTP.
Production's copies are made by WhiteNoise's own compressor (what `collectstatic` runs for
`polyvox serve`; tests/operations/test_production.py runs the real `polyvox serve`), served by
the WhiteNoise middleware through the test client; the pages are the seeded demo's.
"""

import gzip
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import brotli
import pytest
from django.core.management import call_command
from django.test import Client
from whitenoise.compress import Compressor

from polyvox.contributions.models import Contribution
from polyvox.drafts.models import DraftVersion
from polyvox.participants.models import User

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "polyvox/static"
BUDGET = 60_000  # bytes: 60 KB counted in thousands, the stricter reading


class Assets(HTMLParser):
    """What a browser fetches to show the page: stylesheets, scripts, images, icons, frames."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "link" and found.get("href") and found.get("rel") != "canonical":
            self.urls.append(found["href"])
        elif tag in {"script", "img", "iframe", "source", "audio", "video", "embed"}:
            self.urls += [found[key] for key in ("src", "srcset") if found.get(key)]


def assets_of(html: str) -> list[str]:
    parser = Assets()
    parser.feed(html)
    return [url for url in parser.urls if not url.startswith("data:")]


def decoded(body: bytes, encoding: str) -> bytes:
    return {"br": brotli.decompress, "gzip": gzip.decompress}.get(encoding, bytes)(body)


# `make demo`: runserver with DEBUG ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 — our own server
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`manage.py runserver` with POLYVOX_DEBUG=1, as scripts/serve.sh starts it."""
    data_dir = tmp_path_factory.mktemp("demo")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLYVOX_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(POLYVOX_DEBUG="1", POLYVOX_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                fetch(base + "/healthz", {})
                break
            except OSError:
                assert server.poll() is None, "runserver exited"
                assert time.monotonic() < deadline, "runserver did not answer within 90 s"
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_demo_serves_htmx_css_and_js_gzipped_to_a_browser(demo_server: str) -> None:
    for name in ("js/htmx.min.js", "css/polyvox.css", "js/polyvox.js"):
        status, headers, body = fetch(
            f"{demo_server}/static/{name}", {"Accept-Encoding": "br, gzip"}
        )

        assert status == 200, name
        assert headers.get("Content-Encoding") == "gzip", name
        assert "Accept-Encoding" in headers.get("Vary", ""), name
        assert gzip.decompress(body) == (STATIC / name).read_bytes(), name
    htmx_source = (STATIC / "js/htmx.min.js").stat().st_size
    _, _, htmx = fetch(f"{demo_server}/static/js/htmx.min.js", {"Accept-Encoding": "gzip"})
    assert len(htmx) < 0.4 * htmx_source  # 52 KB → about 17 KB


def test_the_demo_sends_static_files_as_they_are_to_a_client_that_asks_no_compression(
    demo_server: str,
) -> None:
    status, headers, body = fetch(f"{demo_server}/static/js/htmx.min.js", {})

    assert status == 200
    assert "Content-Encoding" not in headers
    assert body == (STATIC / "js/htmx.min.js").read_bytes()


def test_the_demo_sign_in_page_with_its_css_and_js_is_under_the_budget(demo_server: str) -> None:
    headers = {"Accept-Encoding": "br, gzip"}
    status, page_headers, body = fetch(f"{demo_server}/accounts/login/", headers)
    assert status == 200
    html = decoded(body, page_headers.get("Content-Encoding", "")).decode()
    total = len(body)
    urls = assets_of(html)
    assert any(url.endswith("htmx.min.js") for url in urls)
    for url in urls:
        assert url.startswith("/"), f"{url} is on another site"
        asset_status, asset_headers, asset = fetch(demo_server + url, headers)
        assert asset_status == 200, url
        assert asset_headers.get("Content-Encoding") == "gzip", url
        total += len(asset)

    assert total < BUDGET


# Production: WhiteNoise's pre-compressed copies ---------------------------------------------------


@pytest.fixture(scope="module")
def compressed_static(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our static files with the brotli and gzip copies `collectstatic` writes in production
    (CompressedManifestStaticFilesStorage runs this compressor)."""
    root = tmp_path_factory.mktemp("static")
    shutil.copytree(STATIC, root, dirs_exist_ok=True)
    compressor = Compressor(use_brotli=True, use_gzip=True, quiet=True)
    for path in [p for p in root.rglob("*") if p.is_file()]:
        if compressor.should_compress(path.name):
            compressor.compress(str(path))
    return root


@pytest.fixture
def production_static(settings: Any, compressed_static: Path) -> Path:
    settings.STATIC_ROOT = compressed_static
    settings.WHITENOISE_USE_FINDERS = False
    return compressed_static


def test_production_serves_brotli_to_a_browser_and_gzip_to_a_client_without_brotli(
    production_static: Path,
) -> None:
    client = Client()
    source = (STATIC / "js/htmx.min.js").read_bytes()

    brotli_answer = client.get("/static/js/htmx.min.js", headers={"Accept-Encoding": "br, gzip"})
    gzip_answer = client.get("/static/js/htmx.min.js", headers={"Accept-Encoding": "gzip"})

    assert brotli_answer["Content-Encoding"] == "br"
    assert brotli.decompress(b"".join(brotli_answer.streaming_content)) == source  # type: ignore[attr-defined]
    assert gzip_answer["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(gzip_answer.streaming_content)) == source  # type: ignore[attr-defined]


def weigh(client: Client, path: str) -> tuple[int, int, list[str]]:
    """(status, bytes on the wire of the page and everything it loads, URLs on another site)."""
    headers = {"Accept-Encoding": "br, gzip"}
    response = client.get(path, headers=headers)
    body = response.content
    html = decoded(body, response.get("Content-Encoding", "")).decode()
    total, external = len(body), []
    for url in assets_of(html):
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            external.append(url)
            continue
        asset = client.get(parts.path, headers=headers)
        assert asset.status_code == 200, url
        content = b"".join(asset.streaming_content) if asset.streaming else asset.content  # type: ignore[attr-defined]
        total += len(content)
    return response.status_code, total, external


def demo_pages() -> list[tuple[str, str]]:
    """(who, path) of every main page of the seeded demo; who is a username or "visitor"."""
    p, d = "/p/cn-principles", "/p/wsis-dialogue"
    version = DraftVersion.objects.filter(draft__process__slug="cn-principles").latest("number")
    draft = f"{p}/drafts/{version.draft.slug}/v{version.number}/"
    first = Contribution.objects.filter(process__slug="cn-principles").order_by("pk")[0]
    return [
        ("visitor", "/"),
        ("visitor", "/accounts/login/"),
        ("visitor", f"{p}/"),
        ("visitor", draft),
        ("visitor", f"{draft}feedback/"),
        ("visitor", f"{p}/contributions/"),
        ("visitor", f"{p}/contributions/{first.tracking_number}/"),
        ("visitor", f"{p}/record/"),
        ("visitor", f"{d}/statements/"),
        ("delegate01", f"{d}/statements/"),
        ("visitor", f"{d}/opinion-map/"),
        ("visitor", f"{p}/indicators/"),
        ("sofia", f"{p}/indicators/"),
    ]


@pytest.mark.django_db
def test_every_main_page_of_the_demo_is_under_60_kb_compressed_and_loads_nothing_from_elsewhere(
    production_static: Path,
) -> None:
    call_command("seed_demo", verbosity=0)
    clients = {"visitor": Client()}
    for username in ("delegate01", "sofia"):
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))

    weights = {}
    for who, path in demo_pages():
        status, total, external = weigh(clients[who], path)
        assert status == 200, f"{path} as {who}: {status}"
        assert external == [], f"{path} loads {external}"
        weights[(who, path)] = total

    over = {page: size for page, size in weights.items() if size >= BUDGET}
    assert over == {}
    # The budget is met by compression, not by an empty page: htmx alone is 52 KB raw.
    assert min(weights.values()) > 15_000
