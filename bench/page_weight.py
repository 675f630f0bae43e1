"""Page-weight benchmark: what each main page costs a first visit, compressed and not.

Issue 13 asks for every main page under 60 KB transferred, compressed, HTML, CSS and JavaScript
together, with no request to another site. This benchmark seeds the demo (`migrate`,
`record keygen`, `seed_demo`) in a fresh SQLite database per tree, serves it over real HTTP in
the two modes the README runs, and loads each main page as a browser with an empty cache would:
the HTML, then every stylesheet, script, image and icon it names (and the `url()`s of its
stylesheets), each asked for with `Accept-Encoding: br, gzip`.

- `demo`: what `make demo` serves (`runserver` with POLYVOX_DEBUG=1, static files from the source
  tree; the worker is left out, it serves nothing).
- `serve`: production, `polyvox serve` (collectstatic, then gunicorn), DEBUG off.

Per page it prints the bytes on the wire (compressed) and decoded (uncompressed) of the HTML, the
CSS, the JavaScript and the rest, their total, and whether the total on the wire meets the
budget. The baseline, in the same run, is `--before` (default e3d41e7, the tree issue 13 was
filed against, whose demo served static files uncompressed), taken with `git archive` and seeded
and served the same way. A page that answers 404 in a tree (the indicators page before issue 13)
is listed as such. Exit status 1 when a page of this tree is over the budget, names another
site, or does not answer 200.

`python -m bench page-weight [--before e3d41e7|none] [--after worktree|REV] [--modes demo,serve]`
`[--json FILE]` also writes every row as JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "e3d41e7"
BUDGET = 60_000  # bytes on the wire: 60 KB, counted in thousands (the stricter reading)
ACCEPT_ENCODING = "br, gzip"  # what every current browser sends

# The main pages, as a visitor unless a persona is named. Run in the seeded tree's environment.
PLAN_SCRIPT = """
import json
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from polyvox.contributions.models import Contribution
from polyvox.drafts.models import DraftVersion
from polyvox.participants.models import User

def session(username):
    user = User.objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key

p, d = "/p/cn-principles", "/p/wsis-dialogue"
version = DraftVersion.objects.filter(draft__process__slug="cn-principles").order_by("-number")[0]
draft = f"{p}/drafts/{version.draft.slug}/v{version.number}/"
first = Contribution.objects.filter(process__slug="cn-principles").order_by("pk")[0]
pages = [
    ("visitor", "home", "/"),
    ("visitor", "sign-in", "/accounts/login/"),
    ("visitor", "process page", p + "/"),
    ("visitor", "draft version", draft),
    ("visitor", "feedback report", draft + "feedback/"),
    ("visitor", "inputs list", p + "/contributions/"),
    ("visitor", "an input", f"{p}/contributions/{first.tracking_number}/"),
    ("visitor", "record", p + "/record/"),
    ("visitor", "statements", d + "/statements/"),
    ("delegate01", "statements: vote card", d + "/statements/"),
    ("visitor", "opinion map", d + "/opinion-map/"),
    ("visitor", "indicators", p + "/indicators/"),
    ("sofia", "indicators: secretariat", p + "/indicators/"),
]
print(json.dumps({"pages": pages, "sessions": {u: session(u) for u in ("delegate01", "sofia")}}))
"""


@dataclass
class Weight:
    wire: int = 0  # bytes as transferred (Content-Encoding applied)
    raw: int = 0  # bytes decoded

    def add(self, wire: int, raw: int) -> None:
        self.wire += wire
        self.raw += raw


@dataclass
class Row:
    tree: str
    mode: str
    who: str
    page: str
    path: str
    status: int
    html: Weight = field(default_factory=Weight)
    css: Weight = field(default_factory=Weight)
    js: Weight = field(default_factory=Weight)
    other: Weight = field(default_factory=Weight)
    requests: int = 0
    uncompressed_assets: list[str] = field(default_factory=list)  # text assets sent as they are
    external: list[str] = field(default_factory=list)  # URLs on another site

    @property
    def total(self) -> Weight:
        parts = (self.html, self.css, self.js, self.other)
        return Weight(sum(w.wire for w in parts), sum(w.raw for w in parts))


# --- fetching a page as a browser with an empty cache would -------------------------------------


class AssetParser(HTMLParser):
    """The URLs a browser fetches while loading a page: stylesheets, scripts, images, icons."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []  # (kind, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        rel = a.get("rel", "").lower().split()
        if tag == "link" and a.get("href") and {"stylesheet", "icon", "preload", "modulepreload", "manifest"} & set(rel):  # fmt: skip
            self.urls.append(("css" if "stylesheet" in rel else "other", a["href"]))
        elif tag == "script" and a.get("src"):
            self.urls.append(("js", a["src"]))
        elif tag in {"img", "source", "video", "audio", "iframe", "embed", "input"} and a.get(
            "src"
        ):
            self.urls.append(("other", a["src"]))
        for candidate in a.get("srcset", "").split(","):
            if candidate.strip():
                self.urls.append(("other", candidate.split()[0]))


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def decode(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        import brotli

        return bytes(brotli.decompress(body))
    if encoding == "gzip":
        return gzip.decompress(body)
    return body


def get(base: str, path: str, cookie: str) -> tuple[int, str, str, bytes, bytes]:
    """(status, content type, content encoding, wire bytes, decoded bytes) of one GET."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    headers = {"Accept-Encoding": ACCEPT_ENCODING, "Accept": "text/html,*/*"}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        wire = response.read()
        encoding = (response.getheader("Content-Encoding") or "").strip().lower()
        return (
            response.status,
            response.getheader("Content-Type") or "",
            encoding,
            wire,
            decode(wire, encoding),
        )
    finally:
        connection.close()


def weigh(base: str, tree: str, mode: str, who: str, page: str, path: str, cookie: str) -> Row:
    status, _, _, wire, raw = get(base, path, cookie)
    row = Row(tree, mode, who, page, path, status)
    row.html.add(len(wire), len(raw))
    row.requests = 1
    parser = AssetParser()
    parser.feed(raw.decode("utf-8", "replace"))
    queue = [(kind, urljoin(base + path, url)) for kind, url in parser.urls]
    seen: set[str] = set()
    while queue:
        kind, url = queue.pop(0)
        if url.startswith("data:") or url in seen:
            continue
        seen.add(url)
        if urlsplit(url).netloc != urlsplit(base).netloc:
            row.external.append(url)
            continue
        target = urlsplit(url)
        status_, ctype, encoding, wire, raw = get(base, target.path + (f"?{target.query}" if target.query else ""), cookie)  # fmt: skip
        row.requests += 1
        getattr(row, kind).add(len(wire), len(raw))
        text = ctype.startswith(("text/", "application/javascript", "image/svg"))
        if text and not encoding and len(raw) > 1024:
            row.uncompressed_assets.append(target.path)
        if kind == "css" and status_ == 200:
            found = CSS_URL.finditer(raw.decode("utf-8", "replace"))
            queue.extend(("other", urljoin(url, m.group(1) or m.group(2))) for m in found)
    return row


# --- seeding and serving a tree -----------------------------------------------------------------


SECRET_KEY = secrets.token_urlsafe(50)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tree_env(code: Path, data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLYVOX_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        PYTHONPATH=str(code),
        DJANGO_SETTINGS_MODULE="polyvox.config.settings",
        POLYVOX_DATA_DIR=str(data),
        POLYVOX_TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend",
        # One key for seeding and serving: the signed-in pages' sessions are made while seeding.
        POLYVOX_SECRET_KEY=SECRET_KEY,
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def django(env: dict[str, str], code: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "django", *args], cwd=code, env=env, capture_output=True, text=True, check=False)  # fmt: skip
    if done.returncode:
        raise SystemExit(f"`django {' '.join(args)}` failed in {code}:\n{done.stderr[-3000:]}")
    return done.stdout


def seed(code: Path, data: Path) -> dict[str, Any]:
    env = tree_env(code, data)
    django(env, code, "migrate", "--no-input", "-v0")
    django(env, code, "record", "keygen", "--if-missing")
    django(env, code, "seed_demo", "-v0")
    plan = subprocess.run([sys.executable, "-c", PLAN_SCRIPT], cwd=code, env=env, capture_output=True, text=True, check=False)  # fmt: skip
    if plan.returncode:
        raise SystemExit(f"planning the pages failed in {code}:\n{plan.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(plan.stdout.strip().splitlines()[-1])
    return result


@contextlib.contextmanager
def served(code: Path, data: Path, mode: str) -> Iterator[str]:
    """The seeded tree served over HTTP in `mode`; yields its base URL."""
    port = free_port()
    if mode == "demo":
        env = tree_env(code, data, POLYVOX_DEBUG="1", POLYVOX_SITE_URL=f"http://127.0.0.1:{port}")
        args = ["runserver", f"127.0.0.1:{port}", "--noreload"]
    else:
        env = tree_env(code, data)
        args = ["serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    log = open(data / f"{mode}.log", "w")  # noqa: SIM115 — closed below, after the server
    server = subprocess.Popen([sys.executable, "-m", "django", *args], cwd=code, env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if get(base, "/healthz", "")[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{mode} server did not start; see {data / (mode + '.log')}")
            time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def measure(code: Path, tree: str, modes: list[str], work: Path) -> list[Row]:
    data = work / re.sub(r"\W", "_", tree)
    data.mkdir(parents=True, exist_ok=True)
    print(f"\n{tree}: seeding the demo in {data}", flush=True)
    plan = seed(code, data)
    rows = []
    for mode in modes:
        with served(code, data, mode) as base:
            for who, page, path in plan["pages"]:
                row = weigh(base, tree, mode, who, page, path, plan["sessions"].get(who, ""))
                print(f"  {mode:<6} {line(row)}", flush=True)
                rows.append(row)
    return rows


# --- the table ----------------------------------------------------------------------------------


def kb(weight: Weight) -> str:
    return f"{weight.wire / 1000:6.1f} {weight.raw / 1000:6.1f}"


def line(row: Row) -> str:
    label = row.page if row.who == "visitor" else f"{row.page} ({row.who})"
    if row.status == 404:
        return f"{label:<34} 404: no such page in this tree"
    verdict = "ok" if row.total.wire <= BUDGET else "OVER"
    notes = [f"status {row.status}"] if row.status != 200 else []
    notes += [f"external: {', '.join(row.external)}"] if row.external else []
    notes += [f"uncompressed: {', '.join(row.uncompressed_assets)}"] if row.uncompressed_assets else []  # fmt: skip
    parts = "  ".join(kb(w) for w in (row.html, row.css, row.js, row.total))
    return f"{label:<34} {parts}  {row.requests:>3}  {verdict:<4} {'; '.join(notes)}"


def table(rows: list[Row], baseline: dict[tuple[str, str, str], Row]) -> None:
    print(
        f"\nKB = 1,000 bytes; budget {BUDGET / 1000:.0f} KB on the wire; each cell: wire, decoded"
    )
    head = f"{'mode':<6} {'page':<34} {'HTML':>13}  {'CSS':>13}  {'JS':>13}  {'total':>13}  req  budget"
    print(head + "   baseline total (wire, decoded)")
    for row in rows:
        old = baseline.get((row.mode, row.who, row.page))
        before = "-" if old is None else ("404" if old.status == 404 else kb(old.total))
        print(f"{row.mode:<6} {line(row)}   {before}")


def failures(rows: list[Row]) -> list[str]:
    bad = []
    for row in rows:
        if row.status == 404:
            continue  # listed, not measured: the page does not exist (yet) in this tree
        if row.status != 200 or row.total.wire > BUDGET or row.external or row.uncompressed_assets:
            bad.append(f"{row.mode} {row.page} ({row.who}): {line(row)}")
    return bad


def extract(rev: str, into: Path) -> None:
    """The polyvox package of commit `rev`, under `into`."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "polyvox"], capture_output=True, check=True)  # fmt: skip
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench page-weight")
    parser.add_argument("--before", default=BEFORE, help="baseline commit, or 'none'")
    parser.add_argument("--after", default="worktree", help="'worktree' (default) or a commit")
    parser.add_argument("--modes", default="demo,serve", help="demo, serve or both")
    parser.add_argument("--json", metavar="FILE", help="also write every row as JSON")
    parser.add_argument("--keep", metavar="DIR", help="keep the seeded data directories in DIR")
    args = parser.parse_args(argv)
    modes = [m for m in args.modes.split(",") if m in {"demo", "serve"}]
    work = Path(args.keep or tempfile.mkdtemp(prefix="polyvox-bench-weight-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"page-weight benchmark: modes {modes}, this tree ({args.after}) vs {args.before}")
    try:
        after_code, after_name = ROOT, "this tree"
        if args.after != "worktree":
            after_code, after_name = work / "after", args.after
            after_code.mkdir(exist_ok=True)
            extract(args.after, after_code)
        rows = measure(after_code, after_name, modes, work)
        before_rows: list[Row] = []
        if args.before.lower() != "none":
            before_code = work / "before"
            before_code.mkdir(exist_ok=True)
            extract(args.before, before_code)
            before_rows = measure(before_code, args.before, modes, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    baseline = {(r.mode, r.who, r.page): r for r in before_rows}
    print(f"\n{after_name} vs {args.before}")
    table(rows, baseline)
    if before_rows:
        print(f"\nbaseline {args.before}")
        table(before_rows, {})
    if args.json:
        payload = [{**asdict(r), "total": asdict(r.total)} for r in rows + before_rows]
        Path(args.json).write_text(json.dumps(payload, indent=1), encoding="utf-8")
    bad = failures(rows)
    for problem in bad:
        print(f"FAILED {problem}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
