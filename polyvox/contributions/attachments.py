"""Submission attachments: the file type is read from the content, never from the name (pure)."""

import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class AttachmentType:
    """A type we accept: a short key, its media type, and the extension we store it under."""

    key: str
    media_type: str
    extension: str


PDF = AttachmentType("pdf", "application/pdf", "pdf")
ODT = AttachmentType("odt", "application/vnd.oasis.opendocument.text", "odt")
DOCX = AttachmentType(
    "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"
)
TXT = AttachmentType("txt", "text/plain", "txt")
ACCEPTED: tuple[AttachmentType, ...] = (PDF, ODT, DOCX, TXT)

_ZIP_MAGIC = b"PK\x03\x04"


def detect_type(data: bytes) -> AttachmentType | None:
    """The accepted type that `data` really is, or None (renamed executables, images…)."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(_ZIP_MAGIC):
        return _detect_zip_document(data)
    return TXT if _is_plain_text(data) else None


def _detect_zip_document(data: bytes) -> AttachmentType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            # ODF packages name their type in an uncompressed `mimetype` entry (ODF 1.2, §3.3).
            if "mimetype" in names:
                mimetype = archive.read("mimetype").strip()
                return ODT if mimetype == ODT.media_type.encode() else None
            return DOCX if "word/document.xml" in names else None
    except (zipfile.BadZipFile, KeyError, RuntimeError, EOFError, ValueError):
        return None


def _is_plain_text(data: bytes) -> bool:
    if not data or b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
