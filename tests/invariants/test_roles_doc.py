"""docs/roles.md prints the role table that the code enforces (`processes.roles.CAPABILITIES`)."""

from pathlib import Path

from polyvox.processes.models import Role
from polyvox.processes.roles import CAPABILITIES, Capability

ROLES_DOC = Path(__file__).resolve().parents[2] / "docs" / "roles.md"
MARKS = {"✓": True, "—": False}


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def documented_table() -> dict[str, frozenset[str]]:
    """The first table of docs/roles.md: capability value → the role values marked ✓."""
    lines = ROLES_DOC.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| capability |"))
    header = _cells(lines[start])[1:]
    roles = [cell.rsplit("(`", 1)[1].rstrip("`)") for cell in header]
    table: dict[str, frozenset[str]] = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        first, *marks = _cells(line)
        capability = first.split("`")[1]
        assert len(marks) == len(roles), f"row {capability} has {len(marks)} cells"
        table[capability] = frozenset(
            role for role, mark in zip(roles, marks, strict=True) if MARKS[mark]
        )
    return table


def test_the_roles_page_lists_every_role_in_order_with_its_label():
    lines = ROLES_DOC.read_text(encoding="utf-8").splitlines()
    header = next(line for line in lines if line.startswith("| capability |"))

    assert _cells(header)[1:] == [f"{role.label} (`{role.value}`)" for role in Role]


def test_the_roles_page_prints_exactly_the_capability_table():
    expected = {
        capability.value: frozenset(role.value for role in roles)
        for capability, roles in CAPABILITIES.items()
    }

    assert documented_table() == expected


def test_each_row_describes_its_capability_as_the_code_does():
    lines = ROLES_DOC.read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines if line.startswith("| `")]
    described = {_cells(row)[0].split("`")[1]: _cells(row)[0].split(": ", 1)[1] for row in rows}

    assert {c.value: described.get(c.value) for c in Capability} == {
        c.value: str(c.label) for c in Capability
    }
