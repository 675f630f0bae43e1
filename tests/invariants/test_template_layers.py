"""Templates depend only downwards, like the Python code (import-linter's layers contract)."""

import re
from pathlib import Path

import polyvox

PACKAGE = Path(polyvox.__file__).parent

# Bottom to top, as in pyproject.toml; apps on one line are independent of each other.
LAYERS = [
    {"core"},
    {"participants"},
    {"processes"},
    {"record", "notifications"},
    {"drafts", "organisations"},
    {"contributions"},
    {"statements", "campaigns", "caucuses"},
    {"joint_statements", "moderation"},
    {"outcomes"},
    {"commitments"},
    {"indicators"},
    {"accounts"},
    {"operations"},
    {"demo"},
]
LEVEL = {app: level for level, apps in enumerate(LAYERS) for app in apps}
# Template tag libraries, by the app that defines them.
LIBRARIES = {"polyvox": "core", "contributions_tags": "contributions", "statements": "statements"}

INCLUDE = re.compile(r"""{%\s*(?:include|extends)\s+["'](\w+)/""")
URL = re.compile(r"""{%\s*url\s+["'](\w+):""")
LOAD = re.compile(r"{%\s*load\s+([\w\s]+?)\s*%}")


def apps_named_by(text: str) -> set[str]:
    named = set(INCLUDE.findall(text)) | set(URL.findall(text))
    for libraries in LOAD.findall(text):
        named |= {LIBRARIES[name] for name in libraries.split() if name in LIBRARIES}
    return named & set(LEVEL)


def test_no_app_template_includes_loads_or_links_an_app_above_it():
    upward = [
        f"{path.relative_to(PACKAGE)} → {other}"
        for app, level in LEVEL.items()
        for path in sorted((PACKAGE / app / "templates").rglob("*.html"))
        for other in apps_named_by(path.read_text())
        if LEVEL[other] > level or (LEVEL[other] == level and other != app)
    ]

    assert upward == []


def test_the_check_sees_an_include_a_load_and_a_link():
    text = """{% load i18n contributions_tags %}{% include "drafts/_x.html" %}{% url 'record:list' %}"""

    assert apps_named_by(text) == {"contributions", "drafts", "record"}
