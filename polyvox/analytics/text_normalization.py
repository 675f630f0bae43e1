"""Text normalisation and tokenisation shared by campaign detection and its baselines.

One definition of "the same words" for the whole engine: Unicode NFKC, case folding, every run of
punctuation, symbols or whitespace is a word break, and scripts written without spaces (Chinese,
Japanese kana, Thai, Lao, Khmer, Myanmar) give one token per character, so that word shingles over
them are character n-grams. Arabic and Cyrillic are ordinary word scripts; combining marks (Arabic
harakat, Devanagari vowel signs) stay inside their word instead of splitting it.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Sequence

__all__ = [
    "normalize",
    "normalized_bytes",
    "shingle_strings",
    "token_spans",
    "tokenize",
    "tokenize_bytes",
]

# Scripts written without spaces between words: one token per character.
_NOSPACE_RANGES = (
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\U00020000-\U0003134f"  # CJK extensions B-G
)


def _mark_class() -> str:
    """Character-class body for combining marks (Mn, Mc, Me), which `\\w` leaves out."""
    ranges: list[tuple[int, int]] = []
    for cp in range(sys.maxunicode + 1):
        if unicodedata.category(chr(cp))[0] == "M":
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


_MARKS = _mark_class()
_LETTERS = f"[^\\W_{_NOSPACE_RANGES}]"  # letters and digits, not of a no-space script
# Marks are only tried after a run of letters (they are rare), which keeps the regex fast.
_TOKEN = re.compile(
    f"{_LETTERS}+(?:[{_MARKS}]+{_LETTERS}*)*"  # a word, with any combining marks inside it
    f"|[{_NOSPACE_RANGES}]"  # one character of a no-space script
    f"|[{_MARKS}]+{_LETTERS}*"  # a word that starts with a stray mark
)
# ASCII fast path: letters are lower-cased and every other byte but a digit becomes a space.
_ASCII_FOLD = bytes(ord(chr(c).lower()) if c < 128 and chr(c).isalnum() else 32 for c in range(256))


def _fold(text: str) -> str:
    """NFKC then case folding; ASCII is already NFKC, so skip the normaliser for it."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKC", text).casefold()


def tokenize(text: str) -> list[str]:
    """Normalised tokens of `text`: NFKC, case-folded, punctuation and whitespace dropped."""
    return _TOKEN.findall(_fold(text))


def tokenize_bytes(text: str) -> list[bytes]:
    """`tokenize` as UTF-8 bytes, about 4x faster on ASCII text; the engine's hot path."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_FOLD).split()
    return [t.encode("utf-8") for t in _TOKEN.findall(_fold(text))]


def normalized_bytes(text: str) -> bytes:
    """UTF-8 normalised tokens separated by whitespace: the engine's input format.

    Control characters never occur inside a token, so the sketcher can join texts with one.
    """
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_FOLD)
    return b" ".join(t.encode("utf-8") for t in _TOKEN.findall(_fold(text)))


def normalize(text: str) -> str:
    """The normalised form used for exact duplicates: tokens joined by single spaces."""
    return " ".join(tokenize(text))


def token_spans(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Normalised tokens plus their (start, end) offsets in the *original* text, for display.

    Offsets are exact when folding keeps the string length (true for almost all text); when it
    does not (ligatures, compatibility characters), each character is folded separately so the
    offsets still point into `text`.
    """
    folded = _fold(text)
    if len(folded) == len(text):
        return _scan(folded)
    pieces: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        f = _fold(ch)
        pieces.append(f)
        origin.extend([i] * len(f))
    origin.append(len(text))
    tokens, spans = _scan("".join(pieces))
    return tokens, [(origin[a], origin[b - 1] + 1) for a, b in spans]


def _scan(folded: str) -> tuple[list[str], list[tuple[int, int]]]:
    tokens: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in _TOKEN.finditer(folded):
        tokens.append(m.group())
        spans.append(m.span())
    return tokens, spans


def shingle_strings(tokens: Sequence[str], size: int) -> list[str]:
    """Word shingles as strings (the baselines' input); a text shorter than `size` is one shingle."""
    if not tokens:
        return []
    if len(tokens) <= size:
        return [" ".join(tokens)]
    return [" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)]
