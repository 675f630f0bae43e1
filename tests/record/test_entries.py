"""Leaf bytes of record entries: RFC 8785 canonical JSON of exactly four fields; the export format."""

import json
import struct
from typing import Any

import pytest

from polyvox.record.entries import ENTRY_FIELDS, entry_line, leaf_bytes, parse_jsonl


def entry(payload: Any, **fields: Any) -> dict[str, Any]:
    return {
        "index": 7,
        "kind": "contribution.submitted",
        "recorded_at": "2025-03-01T12:00:00.123456+00:00",
        "payload": payload,
        **fields,
    }


def payload_bytes(value: Any) -> bytes:
    """The canonical bytes of one value, cut out of the leaf bytes of an entry holding it."""
    data = leaf_bytes(entry(value))
    start = data.index(b'"payload":') + len(b'"payload":')
    end = data.index(b',"recorded_at":')
    return data[start:end]


def test_exactly_the_four_public_fields_in_canonical_order() -> None:
    row = entry({"b": 1, "a": [True, None, "x"]}, id=99, process_id=3, secret="no")
    assert ENTRY_FIELDS == ("index", "kind", "recorded_at", "payload")
    assert leaf_bytes(row) == (
        b'{"index":7,"kind":"contribution.submitted","payload":{"a":[true,null,"x"],"b":1},'
        b'"recorded_at":"2025-03-01T12:00:00.123456+00:00"}'
    )


# RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text.
RFC8785_NUMBERS = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),
    ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]


@pytest.mark.parametrize(("bits", "text"), RFC8785_NUMBERS)
def test_numbers_are_written_like_ecmascript(bits: str, text: str) -> None:
    (value,) = struct.unpack(">d", bytes.fromhex(bits))
    assert payload_bytes(value) == text.encode()


def test_whole_floats_lose_their_point() -> None:
    assert payload_bytes([1.0, 4.50, 2e-3, 1e21, 1e30, -0.0]) == b"[1,4.5,0.002,1e+21,1e+30,0]"


def test_rfc8785_section_3_2_2_example() -> None:
    value = json.loads(
        '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
        ' "literals": [null, true, false]}'
    )
    assert (
        payload_bytes(value)
        == (
            '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
            '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
        ).encode()
    )


def test_keys_sort_by_utf16_code_units_not_code_points() -> None:
    # RFC 8785 §3.2.3's example: the emoji (a surrogate pair, 0xD83D…) sorts before U+FB33,
    # although its code point (U+1F600) is larger.
    value = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    keys = list(json.loads(payload_bytes(value)))
    assert keys == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]
    assert sorted(value) != keys  # Python's code-point order would differ


def test_strings_keep_unicode_and_escape_only_what_json_requires() -> None:
    assert payload_bytes("Zoë «Ω» \u2028 \x1f\t/") == '"Zoë «Ω» \u2028 \\u001f\\t/"'.encode()


@pytest.mark.parametrize(
    ("payload", "where", "why"),
    [
        ({"score": float("nan")}, "entry.payload.score", "nan"),
        ({"list": [1, float("inf")]}, r"entry.payload.list\[1\]", "inf"),
        ({"big": 2**53}, "entry.payload.big", "safe integer"),
        ({"small": -(2**60)}, "entry.payload.small", "safe integer"),
        ({1: "x"}, "entry.payload", "not a string"),
        ({"text": "\ud800"}, "entry.payload.text", "UTF-8"),
        ({"when": object()}, "entry.payload.when", "unsupported type"),
    ],
)
def test_values_without_a_canonical_form_are_refused_clearly(
    payload: Any, where: str, why: str
) -> None:
    with pytest.raises(ValueError, match=f"canonical JSON.*{where}.*{why}") as caught:
        leaf_bytes(entry(payload))
    assert caught.type is ValueError


def test_largest_safe_integers_are_accepted() -> None:
    assert payload_bytes([2**53 - 1, -(2**53 - 1)]) == b"[9007199254740991,-9007199254740991]"


def test_a_missing_field_is_named() -> None:
    with pytest.raises(ValueError, match="missing recorded_at, payload"):
        leaf_bytes({"index": 0, "kind": "x"})


def test_export_line_round_trips_to_the_same_leaf_bytes() -> None:
    row = entry({"title": "Zoë\u2019s note\nsecond line", "weight": 1.0, "tags": ["a", "b"]})
    line = entry_line(row)
    assert line.endswith("\n")
    assert line.count("\n") == 1  # one entry, one line
    (parsed,) = parse_jsonl([line])
    assert leaf_bytes(parsed) == leaf_bytes(row) == line[:-1].encode()


def test_parse_jsonl_skips_blank_lines_and_names_the_broken_one() -> None:
    lines = [entry_line(entry({})), "\n", entry_line(entry({"n": 1}))]
    assert len(parse_jsonl(lines)) == 2
    with pytest.raises(ValueError, match="line 3: not valid JSON"):
        parse_jsonl([lines[0], "\n", "{broken\n"])
    with pytest.raises(ValueError, match="line 2: expected a JSON object"):
        parse_jsonl([lines[0], "[1, 2]\n"])


@pytest.mark.parametrize(
    "line",
    ['{"a": NaN}', '{"a": -Infinity}', '{"a": 1, "a": 2}', '{"a": {"b": 1, "b": 1}}'],
)
def test_parse_jsonl_refuses_ambiguous_json(line: str) -> None:
    with pytest.raises(ValueError, match="line 1: not valid JSON"):
        parse_jsonl([line])


def test_parse_jsonl_refuses_absurd_nesting_with_a_value_error() -> None:
    with pytest.raises(ValueError, match="line 1"):
        parse_jsonl(["[" * 100_000 + "]" * 100_000])
