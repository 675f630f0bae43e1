"""`polyvox templates` and `polyvox process create`: the JSON shape of the issue, clear refusals."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command

from polyvox.cli import main
from polyvox.processes.models import Process
from polyvox.processes.process_templates import BUILT_IN_TEMPLATES
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    """`polyvox …` closes every database connection when a command ends (Django's
    run_from_argv); inside a test transaction on PostgreSQL that would end the test's own."""
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)


@pytest.fixture
def staff(db: None):
    return UserFactory(username="sofia", is_staff=True)


def create(*extra: str) -> None:
    call_command(
        "process",
        "create",
        "--template=icann-public-comment",
        "--slug=rpm-review",
        "--title=RPM review",
        "--opens=2027-03-01",
        "--actor=sofia",
        *extra,
    )


def test_templates_json_lists_every_template_with_its_phases(db, capsys):
    assert main(["templates", "--format", "json"]) == 0

    data = json.loads(capsys.readouterr().out)
    assert [t["name"] for t in data] == [spec.name for spec in BUILT_IN_TEMPLATES]
    icann = next(t for t in data if t["name"] == "icann-public-comment")
    assert icann["title"] == "ICANN public comment"
    assert [
        {key: phase[key] for key in ("kind", "title", "min_days", "default_days")}
        for phase in icann["phases"]
    ] == [
        {
            "kind": "draft_comment",
            "title": "Public comment period",
            "min_days": 40,
            "default_days": 40,
        },
        {"kind": "decision", "title": "Staff summary report", "min_days": None, "default_days": 14},
    ]
    for template in data:
        assert {"name", "title", "phases"} <= template.keys()
        for phase in template["phases"]:
            assert {"kind", "title", "min_days", "default_days"} <= phase.keys()


def test_templates_prints_a_readable_table_by_default(db, capsys):
    call_command("templates")

    out = capsys.readouterr().out
    assert "icann-public-comment  (built-in)  ICANN public comment" in out
    assert "draft_comment" in out
    assert "Public comment period" in out


def test_process_create_makes_a_process_from_a_template(staff, capsys):
    create()

    process = Process.objects.get(slug="rpm-review")
    comment = process.phases.get(kind="draft_comment")
    assert comment.starts_at == datetime(2027, 3, 1, tzinfo=UTC)
    assert comment.ends_at - comment.starts_at == timedelta(days=40)
    assert process.template_name == "icann-public-comment"
    assert "Created 'rpm-review'" in capsys.readouterr().out


def test_the_polyvox_entry_point_creates_a_process(staff):
    main(["process", "create", "--template", "igf-bpf", "--slug", "bpf-gender", "--title",
          "BPF Gender", "--opens", "2027-03-01", "--actor", "sofia"])  # fmt: skip

    assert Process.objects.get(slug="bpf-gender").phases.count() == 4


def test_a_short_period_needs_a_reason_on_the_command_line(staff):
    with pytest.raises(CommandError, match="minimum of 40 days"):
        create("--days=20")
    assert Process.objects.count() == 0

    create("--days=20", "--reason=The Board meets in June.")

    comment = Process.objects.get().phases.get(kind="draft_comment")
    assert comment.short_schedule_reason == "The Board meets in June."


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("--template=nope", "no template called 'nope'"),
        ("--opens=01/03/2027", "is not a date"),
        ("--actor=ghost", "no active user called 'ghost'"),
        ("--days=x", "not a whole number"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(staff, argument, message):
    with pytest.raises(CommandError, match=message):
        create(argument)

    assert Process.objects.count() == 0


def test_a_taken_slug_is_refused(staff):
    create()

    with pytest.raises(CommandError, match="slug"):
        create()

    assert Process.objects.count() == 1


def test_a_participant_cannot_create_a_process(db):
    UserFactory(username="amina")

    with pytest.raises(CommandError, match="Only staff members"):
        create("--actor=amina")


def test_the_entry_point_exits_non_zero_on_bad_input(staff, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["process", "create", "--template", "nope", "--slug", "x", "--title", "X",
              "--opens", "2027-03-01", "--actor", "sofia"])  # fmt: skip

    assert exit_.value.code == 1
    assert "no template called 'nope'" in capsys.readouterr().err
