"""`polyvox import_draft PROCESS DRAFT FILE --actor USERNAME`: publish a version from a file."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from polyvox.drafts.models import Draft, DraftVersion

from .conftest import V1


@pytest.fixture
def v1_file(tmp_path):
    path = tmp_path / "v1.md"
    path.write_text(V1, encoding="utf-8")
    return path


def test_importing_creates_the_draft_and_publishes_version_1(process, secretariat, v1_file, capsys):
    call_command(
        "import_draft", process.slug, "principles", str(v1_file), "--actor", "sofia", "--note", "v1"
    )

    draft = Draft.objects.get(process=process, slug="principles")
    version = draft.versions.get()
    assert draft.title == "Principles for community networks"
    assert (version.number, version.note, version.sections.count()) == (1, "v1", 6)
    assert capsys.readouterr().out.startswith("Published principles version 1 (6 sections)")


def test_importing_again_publishes_the_next_version_of_an_existing_draft(
    version1, secretariat, v1_file
):
    call_command(
        "import_draft", version1.draft.process.slug, "principles", str(v1_file), "--actor", "sofia"
    )

    assert list(version1.draft.versions.values_list("number", flat=True)) == [1, 2]


def test_an_unknown_process_is_a_clear_error(db, v1_file):
    with pytest.raises(CommandError, match="No process with short name 'nope'"):
        call_command("import_draft", "nope", "principles", str(v1_file), "--actor", "sofia")


def test_an_unknown_user_is_a_clear_error(process, v1_file):
    with pytest.raises(CommandError, match="No user with username 'ghost'"):
        call_command("import_draft", process.slug, "principles", str(v1_file), "--actor", "ghost")

    assert Draft.objects.count() == 0


def test_a_missing_file_is_a_clear_error(process, secretariat, tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*missing\.md"):
        call_command(
            "import_draft",
            process.slug,
            "principles",
            str(tmp_path / "missing.md"),
            "--actor",
            "sofia",
        )

    assert Draft.objects.count() == 0


def test_a_participant_cannot_import_and_nothing_changes(process, participant, v1_file):
    with pytest.raises(CommandError, match="Only the secretariat and rapporteurs create drafts"):
        call_command("import_draft", process.slug, "principles", str(v1_file), "--actor", "amina")

    assert Draft.objects.count() == 0


def test_an_empty_file_leaves_no_new_draft_behind(process, secretariat, tmp_path):
    empty = tmp_path / "empty.md"
    empty.write_text("\n", encoding="utf-8")

    with pytest.raises(CommandError, match="The draft text is empty"):
        call_command("import_draft", process.slug, "principles", str(empty), "--actor", "sofia")

    assert Draft.objects.count() == 0
    assert DraftVersion.objects.count() == 0
