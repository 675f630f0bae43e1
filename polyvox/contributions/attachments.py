"""Submission attachments: the file type is read from the content, never from the name (pure);
a ZIP document is judged by its central directory and a capped read, never inflated whole."""

import io
import zipfile
import zlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


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


# Bounds of a ZIP document (ODT, DOCX), checked from the central directory before any entry is
# inflated: a zip bomb of a few hundred kilobytes that would inflate to gigabytes is refused at once.
MAX_ZIP_ENTRIES = 5_000
MAX_DECLARED_UNCOMPRESSED = 256 * 1024 * 1024  # all entries together, as the archive declares
MAX_RATIO = 200  # uncompressed / compressed, for an entry that inflates past RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
# What is read of an entry to tell the type: never more, whatever the entry declares.
MAX_PROBE_BYTES = 64 * 1024


def _refuse_archive(reason: str) -> ValidationError:
    return ValidationError(
        {"attachment": _("This file cannot be accepted: %(reason)s") % {"reason": reason}},
        code="zip_bomb",
    )


def _check_declared_sizes(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse an archive whose declared sizes are absurd (ValidationError on "attachment")."""
    if len(infos) > MAX_ZIP_ENTRIES:
        raise _refuse_archive(
            _("the archive holds %(count)d files (at most %(limit)d).")
            % {"count": len(infos), "limit": MAX_ZIP_ENTRIES}
        )
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise _refuse_archive(
                _("it would inflate %(ratio)d times (at most %(limit)d): a compression bomb.")
                % {"ratio": ratio, "limit": MAX_RATIO}
            )
    if total > MAX_DECLARED_UNCOMPRESSED:
        raise _refuse_archive(
            _("it would inflate to %(mb)d MB (at most %(limit)d MB).")
            % {"mb": total // 2**20, "limit": MAX_DECLARED_UNCOMPRESSED // 2**20}
        )


def _probe(archive: zipfile.ZipFile, name: str) -> bytes:
    """At most MAX_PROBE_BYTES of an entry, inflated as a stream (never the whole entry)."""
    with archive.open(name) as entry:
        return entry.read(MAX_PROBE_BYTES)


def _detect_zip_document(data: bytes) -> AttachmentType | None:
    """ODT or DOCX, read from the central directory and a capped read of one small entry."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_declared_sizes(infos)
            names = {info.filename for info in infos}
            # ODF packages name their type in an uncompressed `mimetype` entry (ODF 1.2, §3.3).
            if "mimetype" in names:
                mimetype = _probe(archive, "mimetype").strip()
                return ODT if mimetype == ODT.media_type.encode() else None
            if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                return None
            _probe(archive, "[Content_Types].xml")  # it inflates (a broken one is refused)
            return DOCX
    except (zipfile.BadZipFile, KeyError, RuntimeError, EOFError, ValueError, zlib.error):
        return None


def _is_plain_text(data: bytes) -> bool:
    if not data or b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
