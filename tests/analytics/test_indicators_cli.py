"""`python -m polyvox.analytics indicators FILE.json`, run as a user would."""

import json
import subprocess
import sys
from pathlib import Path


def analyse(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "polyvox.analytics", "indicators", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_prints_the_figures_with_small_cells_suppressed(tmp_path: Path):
    counts = {
        "groups": ["government", "civil_society", "private_sector"],
        "participation": [
            {"stakeholder_group": "civil_society", "region": "Africa", "global_south": True,
             "gender": "woman", "count": 12},
            {"stakeholder_group": "private_sector", "region": "Europe", "gender": "man",
             "count": 8},
            {"stakeholder_group": "government", "region": "Europe", "gender": "man", "count": 2},
        ],
        "answered": 11,
        "answered_with_reason": 11,
        "days_to_answer": {"1": 5, "3": 6},
        "by_organisation": {"ISOC": 5, "EFF": 5},
    }  # fmt: skip
    path = tmp_path / "counts.json"
    path.write_text(json.dumps(counts), encoding="utf-8")
    done = analyse(str(path))
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    groups = {row["value"]: row["count"] for row in figures["participation"]["by_group"]}
    assert groups["government"] is None  # 2 < 5
    assert figures["participation"]["inputs"] == 22
    # 11 of 22 answered; waits 1 (x5) and 3 (x6): the median is the 6th value, 3.
    assert figures["responsiveness"]["answered_share"] == 0.5
    assert figures["responsiveness"]["median_days_to_answer"] == 3.0
    assert figures["concentration"]["hhi_by_organisation"] == 0.5


def test_a_negative_count_is_one_line_on_stderr_and_status_2(tmp_path: Path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"answered": -1}), encoding="utf-8")
    done = analyse(str(path))
    assert done.returncode == 2
    assert done.stderr.startswith("polyvox analyse indicators: error:")
    assert done.stdout == ""
