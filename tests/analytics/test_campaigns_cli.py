"""`polyvox analyse campaigns FILE`: JSON and text output, CSV and JSONL input, input errors."""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from polyvox.analytics import campaigns_cli
from polyvox.analytics.cli import SUBCOMMANDS

LETTER = (
    "We urge the commission to keep strong net neutrality rules because an open internet "
    "protects small businesses, free expression and competition in every community."
)
ROWS = [
    ("s1", LETTER),
    ("s2", LETTER.upper()),
    ("s3", LETTER + " My grandmother sells quilts online and depends on fair access."),
    ("s4", "Spectrum auctions should favour rural broadband providers."),
    ("s5", "Мы поддерживаем сетевой нейтралитет и открытый интернет для всех граждан."),
    ("s6", "Мы поддерживаем сетевой нейтралитет и открытый интернет для всех граждан страны."),
]


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "subs.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "author", "text"])
        for i, t in ROWS:
            w.writerow([i, "someone", t])
    return path


def _jsonl(tmp_path: Path, name: str = "subs.jsonl") -> Path:
    path = tmp_path / name
    path.write_text(
        "".join(json.dumps({"ref": i, "body": t}, ensure_ascii=False) + "\n" for i, t in ROWS),
        encoding="utf-8",
    )
    return path


# The dispatcher imports every subcommand; until all exist, drive this one the same way directly.
_DIRECT = (
    "import argparse, sys; from polyvox.analytics import campaigns_cli as c; "
    "p = argparse.ArgumentParser(); c.add_arguments(p); sys.exit(c.run(p.parse_args(sys.argv[1:])))"
)
_ENTRY = (
    ["-m", "polyvox.analytics", "campaigns"]
    if all(importlib.util.find_spec(m) for m, _ in SUBCOMMANDS.values())
    else ["-c", _DIRECT]
)


def _run(*argv: str) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, *_ENTRY, *argv],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    return proc.returncode, proc.stdout, proc.stderr


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    campaigns_cli.add_arguments(parser)
    return parser.parse_args(list(argv))


def test_subprocess_csv_json(tmp_path: Path) -> None:
    code, out, err = _run(str(_csv(tmp_path)), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"clusters", "singletons", "seconds"}
    assert data["clusters"][0] == {"template_id": "s1", "member_ids": ["s1", "s2", "s3"], "size": 3}
    assert data["clusters"][1]["member_ids"] == ["s5", "s6"]
    assert data["singletons"] == 1
    assert data["seconds"] >= 0


def test_run_jsonl_with_named_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _jsonl(tmp_path, "subs.data")  # no known extension: sniffed
    code = campaigns_cli.run(_args(str(path), "--text-column", "body", "--id-column", "ref"))
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["size"] for c in data["clusters"]] == [3, 2]


def test_threshold_option_changes_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert campaigns_cli.run(_args(str(_csv(tmp_path)), "--threshold", "0.95")) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["member_ids"] for c in data["clusters"]] == [["s1", "s2"]]


def test_text_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert campaigns_cli.run(_args(str(_csv(tmp_path)), "--format", "text")) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 campaigns with 5 submissions, 1 singletons")
    assert "s1" in out


@pytest.mark.parametrize(
    ("content", "name", "argv", "message"),
    [
        (None, "missing.csv", (), "no such file"),
        ("id,body\n1,hello\n", "a.csv", (), ":1: no column 'text'"),
        ('{"id": 1, "text": "a"}\n{"id": 2, "text": \n', "a.jsonl", (), ":2: invalid JSON"),
        ('{"id": 1, "text": "a"}\n\n{"id": 3}\n', "a.jsonl", (), ":3: no key 'text'"),
        ("id,text,x\n1,a,b\n2\n", "a.csv", (), ":3: 1 fields"),
        ("id,text\n1,a\n", "a.csv", ("--threshold", "0"), "--threshold"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, content: str | None, name: str, argv: tuple[str, ...], message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, out, err = _run(str(path), *argv)
    assert code == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_run_reports_error_without_subprocess(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("not json\n", encoding="utf-8")
    assert campaigns_cli.run(_args(str(path))) == 2
    assert f"{path}:1: invalid JSON" in capsys.readouterr().err
