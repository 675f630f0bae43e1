"""Hostile JSONL lines are rejected by their number with a reason; every valid row is kept."""

import json
from pathlib import Path

import pytest

from polyvox.campaigns.importing import import_submissions
from polyvox.contributions.models import Contribution
from tests.factories import PhaseFactory, make_secretariat

pytestmark = pytest.mark.django_db


def test_each_hostile_line_is_rejected_by_number_and_the_good_rows_are_kept(tmp_path: Path) -> None:
    process = PhaseFactory().process
    secretariat = make_secretariat(process)
    good = [json.dumps({"text": f"Letter {i}.", "author_name": f"Writer {i}"}) for i in range(3)]
    lines = [
        good[0].encode(),
        b'{"text": "A lone \\ud800 surrogate.", "author_name": "Eve"}',
        b'{"text": "A NUL \\u0000 here.", "author_name": "Eve"}',
        good[1].encode(),
        b"{not json",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"text": "caf\xe9", "author_name": "Eve"}',
        good[2].encode(),
    ]
    path = tmp_path / "letters.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")

    run = import_submissions(actor=secretariat, process=process, path=path)

    assert (run.rows_ok, run.rows_rejected) == (3, 5)
    reasons = {error["line"]: error["errors"]["__all__"][0] for error in run.errors}
    assert reasons == {
        2: "The text contains a lone surrogate (U+D800) at position 8: it is not valid Unicode.",
        3: "The text contains a NUL character (U+0000).",
        5: "This line is not valid JSON.",
        6: "This line is nested too deeply to be a row.",
        7: "This line is not UTF-8 (byte 14).",
    }
    assert sorted(Contribution.objects.values_list("body", flat=True)) == [
        "Letter 0.",
        "Letter 1.",
        "Letter 2.",
    ]


def test_a_control_character_inside_the_text_is_refused_by_the_field_rule(tmp_path: Path) -> None:
    """Only NUL and lone surrogates stop a line before the fields are read; a bell inside the text
    is refused by the same rule as the web form, and a form feed at its end is trimmed as there."""
    process = PhaseFactory().process
    secretariat = make_secretariat(process)
    path = tmp_path / "letters.jsonl"
    path.write_text(
        json.dumps({"text": "A bell \u0007 here.", "author_name": "Eve"})
        + "\n"
        + json.dumps({"text": "Trimmed.\u000c", "author_name": "Ann"})
        + "\n",
        encoding="utf-8",
    )

    run = import_submissions(actor=secretariat, process=process, path=path)

    assert (run.rows_ok, run.rows_rejected) == (1, 1)
    assert run.errors[0]["line"] == 1
    assert "control character (U+0007) at position 8" in json.dumps(run.errors[0]["errors"])
    assert list(Contribution.objects.values_list("body", flat=True)) == ["Trimmed."]
