"""The public record page names each event in words and links it to what it records."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from polyvox.record.event_names import EVENT_KINDS, named_event
from polyvox.record.services import append_entry, integrate_pending
from tests.experience.html import attr, page, select, select_one, text

ROOT = Path(__file__).resolve().parents[2] / "polyvox"


def appended_kinds():
    """Every literal `kind="…"` given to append_entry, publish or _record in the code."""
    found = set()
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts or "demo" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name not in {"append_entry", "publish", "_record"}:
                    continue
                for keyword in node.keywords:
                    if keyword.arg == "kind" and isinstance(keyword.value, ast.Constant):
                        found.add(keyword.value.value)
                for arg in node.args[1:2]:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.add(arg.value)
    return found | {"phase.opened", "phase.closed"}


def test_every_kind_the_code_appends_has_a_name_in_words():
    missing = sorted(kind for kind in appended_kinds() if kind not in EVENT_KINDS)

    assert missing == []


def test_an_input_entry_names_the_input_and_links_to_it(process):
    event = named_event(process.slug, "contribution.submitted", {"tracking_number": "PV-1-2"})

    assert (str(event.name), event.url) == (
        "Input <bdi>PV-1-2</bdi> submitted",
        f"/p/{process.slug}/contributions/PV-1-2/",
    )


def test_a_version_entry_links_to_the_version(process):
    event = named_event(process.slug, "version.published", {"draft": "principles", "version": 2})

    assert (str(event.name), event.url) == (
        "Draft version <bdi>2</bdi> published",
        f"/p/{process.slug}/drafts/principles/v2/",
    )


def test_a_title_from_the_payload_is_escaped_and_isolated(process):
    event = named_event(process.slug, "phase.opened", {"title": "<b>Consultation</b>"})

    assert str(event.name) == "Phase opened: <bdi>&lt;b&gt;Consultation&lt;/b&gt;</bdi>"
    assert event.url == f"/p/{process.slug}/"


@pytest.mark.parametrize(
    "payload",
    [{}, {"tracking_number": None}, {"tracking_number": ["x"]}, {"tracking_number": "a/b c"}],
)
def test_odd_payloads_give_a_name_without_a_link_never_an_error(process, payload):
    event = named_event(process.slug, "contribution.submitted", payload)

    assert str(event.name).startswith("Input")
    assert event.url == "" or payload.get("tracking_number") == "a/b c"


def test_an_unknown_kind_is_other_event_with_its_code_on_the_page(process):
    assert named_event(process.slug, "something.new", {}).name == "Other event"


def test_the_record_page_shows_names_in_words_with_links_and_the_code_small(client, process):
    append_entry(
        process=process, kind="contribution.submitted", payload={"tracking_number": "PV-9-1"}
    )
    append_entry(process=process, kind="statement.accepted", payload={"statement_id": 4})
    integrate_pending()

    html = page(client.get(reverse("record:list", kwargs={"slug": process.slug})))

    rows = select(html, "tbody tr")
    cells = [select(row, "td")[1] for row in rows]
    assert [text(select_one(c, "a")) for c in cells] == [
        "Statement open for votes",
        "Input PV-9-1 submitted",
    ]
    assert [attr(select_one(c, "a"), "href") for c in cells] == [
        f"/p/{process.slug}/statements/#statement-4",
        f"/p/{process.slug}/contributions/PV-9-1/",
    ]
    assert [text(select_one(c, "code")) for c in cells] == [
        "statement.accepted",
        "contribution.submitted",
    ]
    recorded = select_one(rows[0], "time")
    assert attr(recorded, "datetime").endswith("Z")
    assert "T" not in text(recorded)
