"""Pol.is import and export: a real conversation round-trips, and re-imports add nothing."""

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from polyvox.analytics.polis_io import read_polis_comments, read_polis_export
from polyvox.participants.models import User
from polyvox.statements.models import Statement, StatementStatus, Vote
from tests.data.polis_data import POLIS

SEATTLE = POLIS / "15-per-hour-seattle"


def test_a_polis_conversation_imports_once_and_exports_the_same_votes(
    process, secretariat, tmp_path, capsys
):
    call_command("import_polis", process.slug, str(SEATTLE), actor=secretariat.username)
    call_command("import_polis", process.slug, str(SEATTLE), actor=secretariat.username)
    call_command("export_polis", process.slug, str(tmp_path))

    source, exported = read_polis_export(SEATTLE), read_polis_export(tmp_path)
    assert (Statement.objects.count(), Vote.objects.count()) == (54, 2872)
    assert Statement.objects.filter(status=StatementStatus.REJECTED).count() == 23
    assert User.objects.filter(username__startswith=f"polis-{process.slug}-").count() == 339
    assert not User.objects.get(username=f"polis-{process.slug}-1").has_usable_password()
    assert (exported.shape, exported.n_votes) == (source.shape, source.n_votes)
    assert int(exported.moderated_out.sum()) == 23
    assert np.bincount(exported.values + 1).tolist() == np.bincount(source.values + 1).tolist()
    assert len(read_polis_comments(tmp_path)) == 54
    out = capsys.readouterr().out
    assert "Imported 54 statements, 339 participants and 2872 votes" in out
    assert "Imported 0 statements, 0 participants and 0 votes" in out


def test_importing_a_folder_that_is_not_a_polis_export_says_what_is_missing(
    process, secretariat, tmp_path
):
    with pytest.raises(CommandError, match=r"Not a readable Pol\.is export: missing file"):
        call_command("import_polis", process.slug, str(tmp_path), actor=secretariat.username)

    assert Statement.objects.count() == 0


def test_only_the_secretariat_imports(process, participant):
    with pytest.raises(CommandError, match="Only the secretariat imports statements"):
        call_command("import_polis", process.slug, str(SEATTLE), actor=participant.username)

    assert Statement.objects.count() == 0


def test_an_unknown_process_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="No process with the short name 'nope'"):
        call_command("export_polis", "nope", str(tmp_path))


def test_the_api_json_layout_imports_the_same_conversation(process, secretariat, tmp_path, capsys):
    """Pol.is's API layout (ISO `created`, raw API keys and sign) imports as its CSV export."""
    from tests.analytics.polis_api_layout import to_api_layout

    folder = to_api_layout(SEATTLE, tmp_path / "json", times="iso", keys="raw", math=True)
    call_command("import_polis", process.slug, str(folder), actor=secretariat.username)

    assert (Statement.objects.count(), Vote.objects.count()) == (54, 2872)
    assert Statement.objects.filter(status=StatementStatus.REJECTED).count() == 23
    source = read_polis_export(SEATTLE)
    agree = int((source.values == 1).sum())
    assert Vote.objects.filter(value=1).count() == agree  # the raw API's sign was flipped
    assert "Imported 54 statements, 339 participants and 2872 votes" in capsys.readouterr().out
