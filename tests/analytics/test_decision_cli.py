"""`polyvox analyse decision POSITIONS.csv`: JSON and table output, input errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from polyvox.analytics.cli import main
from polyvox.analytics.decision_rules import RULES

ROOT = Path(__file__).resolve().parents[2]

# The Security Council: four permanent members in favour, one abstaining; five elected members in
# favour, three against, one absent, one abstaining.
COUNCIL = """voter,group,position
China,permanent,support
France,permanent,can-live-with
Russian Federation,permanent,abstain
United Kingdom,permanent,support
United States,permanent,support
Algeria,elected,support
Denmark,elected,support
Greece,elected,oppose
Guyana,elected,can-live-with
Pakistan,elected,block
Panama,elected,support
Republic of Korea,elected,absent
Sierra Leone,elected,support
Slovenia,elected,oppose
Somalia,elected,abstain
"""


def _write(tmp_path: Path, text: str, name: str = "positions.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _run(*argv: str) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "polyvox.analytics", "decision", *argv],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    return proc.returncode, proc.stdout, proc.stderr


def test_the_command_prints_the_documented_json_in_the_order_of_rules(tmp_path: Path) -> None:
    path = _write(tmp_path, COUNCIL)

    code, out, err = _run(str(path), "--rules", "un-security-council,simple-majority")

    assert code == 0, err
    data = json.loads(out)
    assert list(data) == ["results"]
    council, majority = data["results"]
    assert list(council) == ["rule", "passed", "reason", "groups"]
    assert council["rule"] == "un-security-council"
    assert council["passed"] is True
    assert "9 in favour, no permanent member against" in council["reason"]
    assert council["groups"] == {
        "permanent": {"in_favour": 4, "against": 0, "abstain": 1, "absent": 0, "members": 5},
        "elected": {"in_favour": 5, "against": 3, "abstain": 1, "absent": 1, "members": 10},
    }
    assert list(council["groups"]["permanent"]) == [
        "in_favour",
        "against",
        "abstain",
        "absent",
        "members",
    ]
    assert majority["rule"] == "simple-majority"
    assert majority["passed"] is True
    assert majority["reason"] == "9 in favour, 3 against: more in favour than against."


def test_a_permanent_member_against_vetoes(tmp_path: Path) -> None:
    path = _write(
        tmp_path, COUNCIL.replace("Russian Federation,permanent,abstain", "R,permanent,oppose")
    )

    code, out, _ = _run(str(path), "--rules", "un-security-council", "--format", "json")

    assert code == 0
    [result] = json.loads(out)["results"]
    assert result["passed"] is False
    assert result["reason"] == "9 in favour, but 1 permanent member was against (a veto)."


def test_without_rules_every_preset_is_decided(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, COUNCIL)

    assert main(["decision", str(path)]) == 0

    results = json.loads(capsys.readouterr().out)["results"]
    assert [r["rule"] for r in results] == list(RULES)


def test_chamber_thresholds_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(
        tmp_path,
        "voter,group,position\n"
        "g1,government,support\ng2,government,support\ng3,government,oppose\n"
        "c1,civil-society,support\nc2,civil-society,absent\nc3,civil-society,absent\n",
    )

    assert main(["decision", str(path), "--rules", "chambers"]) == 0
    [by_votes] = json.loads(capsys.readouterr().out)["results"]
    assert by_votes["passed"] is True  # 2 of 3 and 1 of 1 votes cast: more than half

    argv = ["decision", str(path), "--rules", "chambers", "--chamber", "civil-society=2/3:members"]
    assert main(argv) == 0
    [by_members] = json.loads(capsys.readouterr().out)["results"]
    assert by_members["passed"] is False  # 1 of 3 members
    assert "Chamber civil-society did not pass" in by_members["reason"]
    assert "needs at least 2/3 of members" in by_members["reason"]


def test_table_format(tmp_path: Path) -> None:
    path = _write(tmp_path, COUNCIL)

    code, out, err = _run(
        str(path), "--rules", "un-security-council,one-state-one-vote", "--format", "table"
    )

    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["group", "in", "favour", "against", "abstain", "absent", "members"]
    assert lines[1].split() == ["permanent", "4", "0", "1", "0", "5"]
    assert lines[2].split() == ["elected", "5", "3", "1", "1", "10"]
    assert lines[3].split() == ["(all)", "9", "3", "2", "1", "15"]
    assert lines[5].split()[:2] == ["un-security-council", "passed"]
    assert lines[6].split()[:3] == ["one-state-one-vote", "not", "passed"]
    assert "no voter is in group government" in lines[6]


def test_positions_are_read_case_and_space_insensitively_and_other_columns_are_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(
        tmp_path,
        "\ufeffNote,Voter,Group,Position\n"
        "first, a ,x, Support\n"
        ",b,x,CAN-LIVE-WITH\n"
        "\n"
        "last,c,y,oppose\n",
    )

    assert main(["decision", str(path), "--rules", "simple-majority"]) == 0
    [result] = json.loads(capsys.readouterr().out)["results"]
    assert result["groups"]["x"]["in_favour"] == 2
    assert result["groups"]["y"]["against"] == 1


@pytest.mark.parametrize(
    ("content", "argv", "message"),
    [
        (None, (), "no such file"),
        ("", (), "empty file"),
        ("voter,group\na,x\n", (), ":1: missing column 'position'"),
        ("name,group,position\na,x,support\n", (), ":1: missing column 'voter'"),
        ("voter,group,position\na,x,support\nb,x,yes\n", (), ":3: unknown position 'yes'"),
        (
            "voter,group,position\na,x,support\nb,y,oppose\na,y,block\n",
            (),
            ":4: duplicate voter 'a'",
        ),
        ("voter,group,position\na,x\n", (), ":2: 2 fields"),
        ("voter,group,position\n,x,support\n", (), ":2: the voter is empty"),
        ("voter,group,position\na,,support\n", (), ":2: the group of 'a' is empty"),
        ("voter,group,position\na,x,support\n", ("--rules", "majority"), "unknown rule 'majority'"),
        ("voter,group,position\na,x,support\n", ("--rules", ","), "names no rule"),
        ("voter,group,position\na,x,support\n", ("--chamber", "x"), "expected GROUP=THRESHOLD"),
        ("voter,group,position\na,x,support\n", ("--chamber", "x=3/2:votes"), "at most 1"),
        ("voter,group,position\na,x,support\n", ("--chamber", "x=2/3:people"), "members or votes"),
    ],
)
def test_bad_input_is_one_line_naming_the_line_and_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str | None,
    argv: tuple[str, ...],
    message: str,
) -> None:
    path = tmp_path / "positions.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")

    code = main(["decision", str(path), *argv])
    out, err = capsys.readouterr()

    assert code == 2
    assert out == ""
    assert message in err
    assert err.startswith("polyvox analyse decision: error: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_an_unknown_rule_lists_the_known_rules(tmp_path: Path) -> None:
    path = _write(tmp_path, COUNCIL)

    code, _, err = _run(str(path), "--rules", "simple-majority,veto")

    assert code == 2
    assert "unknown rule 'veto', known rules: " + ", ".join(RULES) in err


def test_a_file_that_is_not_utf8_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "positions.csv"
    path.write_bytes(b"voter,group,position\n\xff\xfe,x,support\n")

    assert main(["decision", str(path)]) == 2
    assert "not UTF-8" in capsys.readouterr().err
