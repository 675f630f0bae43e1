"""Compression bombs shaped like ODT and DOCX are refused from the central directory, in little memory."""

import io
import struct
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError

from polyvox.contributions.attachments import MAX_PROBE_BYTES, ODT, detect_type

MB = 1024 * 1024
CHUNK = bytes(MB)  # a stream of zeros, written a megabyte at a time


def bomb(first: tuple[str, bytes], big_name: str, megabytes: int) -> bytes:
    """A zip with a small first entry and `big_name`: `megabytes` MB of zeros, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(first[0], first[1], compress_type=zipfile.ZIP_STORED)
        with archive.open(big_name, "w", force_zip64=True) as entry:
            for _ in range(megabytes):
                entry.write(CHUNK)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def odt_bomb() -> bytes:
    return bomb(("mimetype", ODT.media_type.encode()), "content.xml", 500)


def refused_in_little_memory(data: bytes) -> ValidationError:
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as refused:
            detect_type(data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * MB, f"peak {peak / MB:.1f} MB"
    return refused.value


def test_a_500_mb_odt_bomb_of_half_a_megabyte_is_refused_with_a_clear_error(
    odt_bomb: bytes,
) -> None:
    assert len(odt_bomb) < 1 * MB  # what is uploaded is small

    error = refused_in_little_memory(odt_bomb)

    message = error.message_dict["attachment"][0]
    assert message.startswith("This file cannot be accepted: it would inflate ")
    assert "a compression bomb" in message


def test_a_docx_bomb_is_refused_too() -> None:
    data = bomb(("[Content_Types].xml", b"<Types/>"), "word/document.xml", 300)

    error = refused_in_little_memory(data)

    assert "a compression bomb" in error.message_dict["attachment"][0]


def test_many_ordinary_entries_that_add_up_past_the_limit_are_refused() -> None:
    # Each entry inflates only ~150 times, but together they declare more than 256 MB.
    buffer = io.BytesIO()
    noise = bytes(range(256)) * 4  # compresses poorly on its own…
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("mimetype", ODT.media_type.encode())
        for i in range(300):
            archive.writestr(f"part{i}.xml", noise)
    data = bytearray(buffer.getvalue())
    # …so declare each of them as a 1 MB entry in the central directory (a lying archive).
    directory = data.rfind(b"PK\x05\x06")
    offset = struct.unpack("<I", data[directory + 16 : directory + 20])[0]
    position = offset
    while data[position : position + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack(
            "<HHH", data[position + 28 : position + 34]
        )
        if data[position + 46 : position + 46 + name_length] != b"mimetype":
            data[position + 24 : position + 28] = struct.pack("<I", MB)  # uncompressed size
        position += 46 + name_length + extra_length + comment_length

    error = refused_in_little_memory(bytes(data))

    assert "it would inflate to 300 MB (at most 256 MB)" in error.message_dict["attachment"][0]


def test_a_mimetype_entry_that_lies_about_its_size_is_read_only_up_to_the_cap() -> None:
    # The central directory says the `mimetype` entry is tiny; it inflates to 50 MB of zeros.
    data = bytearray(bomb(("readme", b"x"), "mimetype", 50))
    directory = data.rfind(b"PK\x05\x06")
    position = struct.unpack("<I", data[directory + 16 : directory + 20])[0]
    while data[position : position + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack(
            "<HHH", data[position + 28 : position + 34]
        )
        if data[position + 46 : position + 46 + name_length] == b"mimetype":
            data[position + 24 : position + 28] = struct.pack("<I", 100)  # uncompressed size
        position += 46 + name_length + extra_length + comment_length

    tracemalloc.start()
    try:
        found = detect_type(bytes(data))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert found is None  # zeros are not the ODT media type
    assert peak < 4 * MB
    assert MAX_PROBE_BYTES <= 64 * 1024


def test_real_documents_still_pass() -> None:
    buffer = io.BytesIO()
    text = b"<office:document-content>" + b"<text:p>Open, interoperable networks.</text:p>" * 2000
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", ODT.media_type.encode(), compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", text + b"</office:document-content>")

    assert detect_type(buffer.getvalue()) == ODT
