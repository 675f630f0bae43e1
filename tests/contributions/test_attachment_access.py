"""Attachments are served through an access check: a hidden input's file only to its author and
the secretariat, with a download disposition and its stored media type; optionally handed to the
proxy (X-Accel-Redirect, X-Sendfile). Uploads have no public URL."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from polyvox.contributions.models import Contribution
from polyvox.contributions.services.moderation import hide_contribution
from polyvox.contributions.services.submitting import submit_contribution
from polyvox.drafts.models import DraftVersion
from polyvox.participants.models import User
from tests.factories import MINIMAL_PDF, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(open_phase: Any, participant: User, version: DraftVersion) -> Contribution:
    return submit_contribution(
        author=participant,
        process=version.draft.process,
        kind="submission",
        body="Our position paper.",
        draft_version=version,
        attachment=SimpleUploadedFile("position paper.pdf", MINIMAL_PDF),
    )


@pytest.fixture
def hidden_paper(paper: Contribution, secretariat: User) -> Contribution:
    return hide_contribution(
        actor=secretariat, contribution=paper, reason_code="personal_data", reason="Personal data."
    )


def attachment_url(contribution: Contribution) -> str:
    return reverse(
        "contributions:attachment",
        kwargs={"slug": contribution.process.slug, "tracking_number": contribution.tracking_number},
    )


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_anyone_downloads_the_attachment_of_a_public_input(paper: Contribution) -> None:
    response = Client().get(attachment_url(paper))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="position paper.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("who", ["anonymous", "another participant"])
def test_a_hidden_inputs_attachment_is_not_found_for_others(
    hidden_paper: Contribution, who: str
) -> None:
    viewer = None if who == "anonymous" else UserFactory(username="mallory")

    response = client_for(viewer).get(attachment_url(hidden_paper))

    assert response.status_code == 404


@pytest.mark.parametrize("who", ["author", "secretariat"])
def test_a_hidden_inputs_attachment_stays_readable_to_its_author_and_the_secretariat(
    hidden_paper: Contribution, participant: User, secretariat: User, who: str
) -> None:
    viewer = participant if who == "author" else secretariat

    response = client_for(viewer).get(attachment_url(hidden_paper))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_an_input_without_attachment_has_none_to_download(
    open_phase: Any, participant: User, version: DraftVersion
) -> None:
    plain = submit_contribution(
        author=participant,
        process=version.draft.process,
        kind="submission",
        body="No file.",
        draft_version=version,
    )

    assert Client().get(attachment_url(plain)).status_code == 404


def test_an_unknown_tracking_number_or_process_is_not_found(paper: Contribution) -> None:
    unknown_number = reverse(
        "contributions:attachment",
        kwargs={"slug": paper.process.slug, "tracking_number": "NOPE-0000"},
    )
    other_process = reverse(
        "contributions:attachment",
        kwargs={"slug": "no-such-process", "tracking_number": paper.tracking_number},
    )

    assert Client().get(unknown_number).status_code == 404
    assert Client().get(other_process).status_code == 404


def test_the_attachment_view_only_reads(paper: Contribution) -> None:
    assert Client().post(attachment_url(paper)).status_code == 405


def test_a_non_ascii_file_name_is_kept_for_the_download(
    open_phase: Any, participant: User, version: DraftVersion
) -> None:
    paper = submit_contribution(
        author=participant,
        process=version.draft.process,
        kind="submission",
        body="Contribución.",
        draft_version=version,
        attachment=SimpleUploadedFile("posición común.pdf", MINIMAL_PDF),
    )

    response = Client().get(attachment_url(paper))

    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''posici%C3%B3n%20com%C3%BAn.pdf"
    )


def test_uploads_have_no_public_url(paper: Contribution, settings: Any) -> None:
    direct = settings.MEDIA_URL + paper.attachment.name

    assert Client().get(direct).status_code == 404


def test_the_contribution_page_links_to_the_checked_download(paper: Contribution) -> None:
    page = Client().get(paper.get_absolute_url()).content.decode()

    assert f'href="{attachment_url(paper)}"' in page
    assert "/media/" not in page


# Handing the file to the reverse proxy ------------------------------------------------------------


def test_x_accel_redirect_hands_the_file_to_nginx(paper: Contribution, settings: Any) -> None:
    settings.POLYVOX_SENDFILE = "x-accel-redirect"

    response = Client().get(attachment_url(paper))

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + paper.attachment.name
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="position paper.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_x_accel_redirect_uses_the_configured_prefix(paper: Contribution, settings: Any) -> None:
    settings.POLYVOX_SENDFILE = "x-accel-redirect"
    settings.POLYVOX_SENDFILE_PREFIX = "/internal/uploads"

    response = Client().get(attachment_url(paper))

    assert response["X-Accel-Redirect"] == "/internal/uploads/" + paper.attachment.name


def test_x_sendfile_hands_the_absolute_path_to_the_server(
    paper: Contribution, settings: Any
) -> None:
    settings.POLYVOX_SENDFILE = "x-sendfile"

    response = Client().get(attachment_url(paper))

    path = Path(response["X-Sendfile"])
    assert path.is_absolute()
    assert path.read_bytes() == MINIMAL_PDF
    assert response.content == b""
    assert response["Content-Disposition"] == 'attachment; filename="position paper.pdf"'


def test_the_proxy_gets_nothing_for_a_hidden_input_seen_by_others(
    hidden_paper: Contribution, settings: Any
) -> None:
    settings.POLYVOX_SENDFILE = "x-accel-redirect"

    response = Client().get(attachment_url(hidden_paper))

    assert response.status_code == 404
    assert not response.has_header("X-Accel-Redirect")


def test_the_open_data_download_links_to_the_checked_attachment(
    paper: Contribution, settings: Any
) -> None:
    settings.SITE_URL = "https://consult.example.org"
    response = Client().get(f"/p/{paper.process.slug}/contributions.json")
    [row] = json.loads(b"".join(response.streaming_content))["contributions"]

    assert row["attachment"] == f"https://consult.example.org{attachment_url(paper)}"
    download = Client().get(attachment_url(paper))
    assert b"".join(download.streaming_content) == MINIMAL_PDF
