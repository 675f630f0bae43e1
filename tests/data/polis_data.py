"""Where the tests find the real Pol.is conversations (CC BY 4.0, attribution in polis/README.md)."""

from pathlib import Path

import pytest

POLIS = Path(__file__).resolve().parent / "polis"


def polis_conversation(name: str) -> Path:
    """The folder of one real Pol.is export; a missing one fails the test, it never skips it."""
    folder = POLIS / name
    if not (folder / "votes.csv").is_file() or not (folder / "comments.csv").is_file():
        pytest.fail(
            f"real Pol.is data missing: {folder} should hold votes.csv and comments.csv "
            "(the repository carries it in tests/data/polis; see its README.md)",
            pytrace=False,
        )
    return folder
