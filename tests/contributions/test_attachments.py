"""Attachments: types read from the content (real small files), kept or refused on submitting."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from polyvox.contributions.attachments import DOCX, ODT, PDF, TXT, detect_type
from polyvox.contributions.models import Contribution
from polyvox.contributions.services.submitting import submit_contribution
from tests.factories import MINIMAL_PDF, submit_comment


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def odt_bytes() -> bytes:
    return zip_bytes(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": b"<office:document-content/>",
        }
    )


def docx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def test_a_minimal_pdf_is_recognised_as_pdf():
    assert detect_type(MINIMAL_PDF) == PDF


def test_an_odt_package_is_recognised_by_its_mimetype_entry():
    assert detect_type(odt_bytes()) == ODT


def test_a_docx_package_is_recognised_by_its_document_part():
    assert detect_type(docx_bytes()) == DOCX


def test_utf8_text_is_recognised_as_text():
    assert detect_type("Acceso universal — ação, 中文\n".encode()) == TXT


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff",  # a Windows .exe renamed .pdf
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",  # a PNG image renamed .txt
        b"caf\xe9 latin-1 text",  # not UTF-8
        b"",
    ],
    ids=["exe", "png", "latin-1", "empty"],
)
def test_files_of_other_types_are_not_recognised_whatever_their_name(data):
    assert detect_type(data) is None


def test_a_zip_that_is_neither_odt_nor_docx_is_refused():
    assert detect_type(zip_bytes({"readme.txt": b"hello"})) is None


def test_an_odf_spreadsheet_is_not_taken_for_a_text_document():
    spreadsheet = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})

    assert detect_type(spreadsheet) is None


def test_a_truncated_zip_is_refused():
    assert detect_type(docx_bytes()[:40]) is None


# On submitting ------------------------------------------------------------------------------------


def test_a_submission_keeps_a_pdf_attachment_under_a_name_of_our_own(
    open_phase, participant, version
):
    upload = SimpleUploadedFile("position paper.pdf", MINIMAL_PDF)

    contribution = submit_contribution(
        author=participant,
        process=version.draft.process,
        kind="submission",
        body="Our position paper.",
        draft_version=version,
        attachment=upload,
    )

    assert contribution.attachment_name == "position paper.pdf"
    assert contribution.attachment_type == "application/pdf"
    assert contribution.attachment.name.endswith(f"{contribution.tracking_number}.pdf")
    with contribution.attachment.open("rb") as stored:
        assert stored.read() == MINIMAL_PDF


def test_an_executable_renamed_pdf_is_refused_and_nothing_is_saved(
    open_phase, participant, version
):
    upload = SimpleUploadedFile("paper.pdf", b"MZ\x90\x00\x03\x00\x00\x00")

    with pytest.raises(ValidationError, match="not one of the accepted types"):
        submit_contribution(
            author=participant,
            process=version.draft.process,
            kind="submission",
            body="Paper.",
            attachment=upload,
        )

    assert Contribution.objects.count() == 0


def test_an_attachment_over_the_size_limit_is_refused(open_phase, participant, version, settings):
    settings.POLYVOX_MAX_ATTACHMENT_BYTES = 100
    upload = SimpleUploadedFile("paper.txt", b"a" * 101)

    with pytest.raises(ValidationError, match="too large"):
        submit_contribution(
            author=participant,
            process=version.draft.process,
            kind="submission",
            body="Paper.",
            attachment=upload,
        )

    assert Contribution.objects.count() == 0


def test_only_submissions_take_attachments(open_phase, participant, section):
    with pytest.raises(ValidationError, match="Only submissions"):
        submit_comment(participant, section, attachment=SimpleUploadedFile("a.txt", b"hello"))

    assert Contribution.objects.count() == 0
