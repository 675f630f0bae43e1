"""Backup helpers: a signing key per test, a process with every kind of row, archive surgery."""

import gzip
import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from polyvox.contributions.services.dispositions import record_disposition
from polyvox.processes.models import Process
from polyvox.record.keys import create_signing_key
from polyvox.record.services import integrate_pending
from tests.factories import (
    MINIMAL_PDF,
    PhaseFactory,
    ProcessFactory,
    UserFactory,
    approve_representative,
    make_organisation,
    make_secretariat,
    make_statement,
    make_version,
    send_submission,
    submit_comment,
    submit_reply,
    vote_all,
)


@pytest.fixture(autouse=True)
def signing_key(settings: Any, tmp_path: Path) -> Path:
    """Each test signs checkpoints with a key of its own (never the deployment's)."""
    path = tmp_path / "keys" / "record-signing.key"
    create_signing_key(path, "polyvox.test")
    settings.POLYVOX_RECORD_KEY_FILE = path
    return path


def build_process() -> Process:
    """A process as a deployment holds it: inputs (one with an attachment), a reply, an
    organisation speaking through its representative, votes, and a record integrated under a
    signed checkpoint."""
    process = ProcessFactory(slug="wsis-review")
    PhaseFactory(process=process)
    sofia = make_secretariat(process, username="sofia")
    version = make_version(process)
    section = version.sections.first()
    amina = UserFactory(username="amina", profile={"country": "BR"})
    comment = submit_comment(amina, section, "Name the Global South explicitly — ação.")
    submit_reply(UserFactory(username="kenji"), comment, "Agreed; and say how.")
    send_submission(
        process,
        "Our position paper on open data.",
        "lina",
        draft_version=version,
        attachment=SimpleUploadedFile("position paper.pdf", MINIMAL_PDF),
    )
    speaker = UserFactory(username="diego")
    organisation = make_organisation("Rhizomatica")
    approve_representative(organisation, speaker)
    statements = [make_statement(process, f"Statement {n}") for n in range(3)]
    vote_all([amina, speaker], statements, [1, -1, 0])
    record_disposition(
        actor=sofia,
        contribution=comment,
        outcome="incorporated",
        reason="Added to the scope.",
        changed_sections=[make_version(process, number=2).sections.first()],
    )
    # Rows that point at content types and permissions, whose ids differ between databases.
    editors = Group.objects.create(name="editors")
    editors.permissions.add(Permission.objects.get(codename="view_contribution"))
    sofia.groups.add(editors)
    LogEntry.objects.log_actions(
        user_id=sofia.pk, queryset=[comment], action_flag=CHANGE, change_message="checked"
    )
    while integrate_pending():
        pass
    return process


def rewrite_archive(
    source: Path,
    target: Path,
    change: Callable[[str, bytes], bytes | None],
    *,
    fix_manifest: bool = False,
) -> None:
    """Copy an archive member by member through `change` (None drops a member); with
    `fix_manifest`, the manifest gets the changed members' digests, as a careful forger would."""
    import hashlib

    members: list[tuple[tarfile.TarInfo, bytes]] = []
    with tarfile.open(source, "r:gz") as tar:
        for info in tar:
            handle = tar.extractfile(info)
            assert handle is not None
            data = change(info.name, handle.read())
            if data is not None:
                members.append((info, data))
    if fix_manifest:
        for position, (info, data) in enumerate(members):
            if info.name == "manifest.json":
                manifest = json.loads(data)
                for other, content in members:
                    if other.name != "manifest.json":
                        manifest["members"][other.name] = {
                            "sha256": hashlib.sha256(content).hexdigest(),
                            "size": len(content),
                        }
                members[position] = (info, json.dumps(manifest).encode())
    with gzip.open(target, "wb") as raw, tarfile.open(fileobj=raw, mode="w|") as out:
        for info, data in members:
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))


def manifest_of(path: Path) -> dict[str, Any]:
    with tarfile.open(path, "r:gz") as tar:
        handle = tar.extractfile("manifest.json")
        assert handle is not None
        return json.loads(handle.read())


def member_names(path: Path) -> list[str]:
    with tarfile.open(path, "r:gz") as tar:
        return tar.getnames()
