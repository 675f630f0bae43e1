"""Vectorised shingling, MinHash signatures and LSH banding for `near_duplicates`.

Why these choices (see docs/analytics.md, "Near-duplicates and campaigns"):

* Tokens are hashed once per distinct word (blake2b, stable across runs and processes), and
  shingles are combined from token hashes with numpy, never as Python strings.
* Signatures are one-permutation MinHash (Li, Owen & Zhang 2012) with densification by rotation
  (Shrivastava & Li 2014): one hash per shingle instead of `num_perm`, so 1M texts fit in seconds.
  A slot `j` holds the minimum shingle hash among those falling in bin `j`; two texts agree on a
  slot with probability close to their Jaccard similarity, which is all LSH needs, and every
  candidate is verified afterwards on the actual shingle sets.
* Each text's shingle set is kept as sorted unique 32-bit hashes, so verification is a
  vectorised `searchsorted` and Jaccard needs no Python loop.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "Sketches",
    "band_edges",
    "choose_bands",
    "collision_probability",
    "concat_sketches",
    "sketch_stream",
    "sketch_tokens",
]

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_EMPTY = np.uint32(0xFFFFFFFF)


def mix64(x: U64) -> U64:
    """splitmix64 finaliser: turns structured 64-bit values into well-spread hashes."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


@dataclass(frozen=True)
class Sketches:
    """Per text: exact key of the normalised text, token count, shingle set and signature."""

    exact_keys: npt.NDArray[np.void]  # 128-bit key of the normalised token sequence
    n_tokens: I64
    offsets: I64  # shingles of text i are shingles[offsets[i]:offsets[i + 1]]
    shingles: U32  # sorted and unique within each text
    signatures: U32  # (n, num_perm); all _EMPTY for a text without tokens


def sketch_tokens(
    token_lists: Sequence[Sequence[bytes]], *, shingle_size: int, num_perm: int, seed: int
) -> Sketches:
    """Sketch a batch of tokenised texts (tokens as UTF-8 bytes, as from `tokenize_bytes`)."""
    stream = SEPARATOR.join(b" ".join(tokens) for tokens in token_lists)
    return sketch_stream(
        stream, len(token_lists), shingle_size=shingle_size, num_perm=num_perm, seed=seed
    )


def sketch_stream(
    stream: bytes, n: int, *, shingle_size: int, num_perm: int, seed: int
) -> Sketches:
    """Sketch `n` texts given as one byte string: texts joined by `SEPARATOR`, tokens by spaces.

    Each text is what `normalized_bytes` produces.
    """
    token_hash, lengths = _hash_tokens(stream, n)
    exact_keys = _sequence_keys(token_hash, lengths)
    doc_of_shingle, shingle64 = _shingle_hashes(token_hash, lengths, shingle_size, seed)
    sh32 = (shingle64 >> np.uint64(32)).astype(np.uint32)
    keys = np.sort((doc_of_shingle.astype(np.uint64) << np.uint64(32)) | sh32.astype(np.uint64))
    if len(keys):
        keep = np.empty(len(keys), dtype=bool)
        keep[0] = True
        np.not_equal(keys[1:], keys[:-1], out=keep[1:])
        keys = keys[keep]
    docs = (keys >> np.uint64(32)).astype(np.int64)
    shingles = (keys & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    counts = np.bincount(docs, minlength=n)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    signatures = _one_permutation_minhash(docs, shingles, n, num_perm, seed)
    return Sketches(exact_keys, lengths, offsets, shingles, signatures)


SEPARATOR = b" \x01 "  # between texts in a stream; no token contains \x01


def _hash_tokens(stream: bytes, n: int) -> tuple[U64, I64]:
    """64-bit hash of every token in `stream`, and the token count of each text.

    One `split` and one dict pass for the whole batch (no Python call per text), then each
    distinct word is hashed once with blake2b, so a word's hash never depends on its batch.
    """
    flat = stream.split()
    vocab = {word: i for i, word in enumerate(dict.fromkeys(flat))}
    sep_id = vocab.setdefault(b"\x01", len(vocab))
    ids = np.fromiter(map(vocab.__getitem__, flat), dtype=np.int64, count=len(flat))
    word_hash = np.frombuffer(
        b"".join(hashlib.blake2b(w, digest_size=8).digest() for w in vocab), dtype=np.uint64
    )
    is_sep = ids == sep_id
    doc = np.cumsum(is_sep)[~is_sep]
    lengths = np.bincount(doc, minlength=n).astype(np.int64)
    return word_hash[ids[~is_sep]], lengths


def _sequence_keys(token_hash: U64, lengths: I64) -> npt.NDArray[np.void]:
    """128-bit key of each text's token sequence, for exact duplicates after normalisation.

    Two sums of pseudo-random per-(word, position) values: word hashes are blake2b and each
    position is mixed non-linearly, so equal keys for different sequences need a 128-bit
    coincidence (unlike a plain polynomial hash modulo 2**64, which has known collisions).
    """
    n = len(lengths)
    keys = np.zeros((n, 2), dtype=np.uint64)
    nonempty = np.flatnonzero(lengths > 0)
    if len(token_hash):
        starts = np.zeros(n, dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        doc = np.repeat(np.arange(n, dtype=np.int64), lengths)
        pos = (np.arange(len(token_hash), dtype=np.int64) - starts[doc]).astype(np.uint64)
        for half, salt in enumerate((np.uint64(0x243F6A8885A308D3), np.uint64(0x13198A2E03707344))):
            v = mix64(token_hash ^ mix64(pos * _GOLDEN + salt))
            keys[nonempty, half] = np.add.reduceat(v, starts[nonempty])
        keys[nonempty, 0] ^= mix64(lengths[nonempty].astype(np.uint64))
    return np.ascontiguousarray(keys).view("V16").ravel()


def _shingle_hashes(token_hash: U64, lengths: I64, size: int, seed: int) -> tuple[I64, U64]:
    """64-bit hash of every `size`-token window inside each text (whole text if shorter)."""
    n_tok = len(token_hash)
    doc = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    starts = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    pos = np.arange(n_tok, dtype=np.int64) - starts[doc] if n_tok else np.empty(0, np.int64)
    remaining = lengths[doc] - pos  # tokens from here to the end of the text
    # A window starts at every position with a full window ahead, and at position 0 of a text
    # shorter than the window (that text is one shingle).
    valid = (remaining >= size) | ((pos == 0) & (lengths[doc] < size))
    acc = token_hash * _GOLDEN
    for offset in range(1, size):
        shifted = np.zeros(n_tok, dtype=np.uint64)
        shifted[:-offset] = token_hash[offset:]
        shifted[remaining <= offset] = 0  # window runs past the end of its text
        acc = acc + shifted * mix64(np.full(1, offset + 1, dtype=np.uint64))
    acc = mix64(acc ^ mix64(np.full(1, seed & 0xFFFFFFFFFFFFFFFF, dtype=np.uint64)))
    return doc[valid], acc[valid]


def _one_permutation_minhash(docs: I64, shingles: U32, n: int, num_perm: int, seed: int) -> U32:
    """One-permutation MinHash, densified by rotation so every non-empty text fills all slots."""
    rehash = mix64(shingles.astype(np.uint64) ^ np.uint64((seed * 0x2545F491) & 0xFFFFFFFF))
    bins = ((rehash >> np.uint64(32)) * np.uint64(num_perm)) >> np.uint64(32)
    values = (rehash & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    flat = np.full(n * num_perm, _EMPTY, dtype=np.uint32)
    np.minimum.at(flat, docs * num_perm + bins.astype(np.int64), values)
    sig = flat.reshape(n, num_perm)
    empty = sig == _EMPTY
    if not empty.any():
        return sig
    # Rotation: an empty slot borrows the next non-empty slot to its right (circularly), offset
    # by the distance so that borrowed values stay distinct from genuine ones.
    cols = np.arange(2 * num_perm)
    nonempty2 = np.tile(~empty, 2)
    nxt = np.where(nonempty2, cols, 2 * num_perm)
    nxt = np.minimum.accumulate(nxt[:, ::-1], axis=1)[:, ::-1][:, :num_perm]
    has_any = nxt[:, 0] < 2 * num_perm
    src = np.where(has_any[:, None], nxt % num_perm, 0)
    dist = (nxt - cols[:num_perm]).astype(np.uint32)
    borrowed = np.take_along_axis(sig, src, axis=1) + dist * np.uint32(0x9E3779B1)
    sig = np.where(empty & has_any[:, None], borrowed, sig)
    return sig.astype(np.uint32)


def concat_sketches(parts: Sequence[Sketches], num_perm: int) -> Sketches:
    """Join batch results in order."""
    if not parts:
        return Sketches(
            np.empty(0, "V16"),
            np.empty(0, np.int64),
            np.zeros(1, np.int64),
            np.empty(0, np.uint32),
            np.empty((0, num_perm), np.uint32),
        )
    if len(parts) == 1:
        return parts[0]
    offsets = [parts[0].offsets]
    base = int(parts[0].offsets[-1])
    for p in parts[1:]:
        offsets.append(p.offsets[1:] + base)
        base += int(p.offsets[-1])
    return Sketches(
        np.concatenate([p.exact_keys for p in parts]),
        np.concatenate([p.n_tokens for p in parts]),
        np.concatenate(offsets),
        np.concatenate([p.shingles for p in parts]),
        np.concatenate([p.signatures for p in parts]),
    )


def collision_probability(jaccard: float, bands: int, rows: int) -> float:
    """LSH S-curve: chance that two texts with this Jaccard share at least one band."""
    return float(1.0 - (1.0 - jaccard**rows) ** bands)


def choose_bands(
    threshold: float, num_perm: int, *, fp_weight: float = 0.1, fn_weight: float = 0.9
) -> tuple[int, int]:
    """(bands, rows) minimising weighted false-positive and false-negative areas of the S-curve.

    Same objective as datasketch's `_optimal_param`, but weighted towards recall: a false positive
    only costs one verification, a false negative loses a campaign member.
    """
    grid_lo = np.linspace(0.0, threshold, 201)
    grid_hi = np.linspace(threshold, 1.0, 201)
    best = (np.inf, 1, num_perm)
    for bands in range(1, num_perm + 1):
        rows = num_perm // bands
        if rows < 1:
            break
        fp = np.trapezoid(1 - (1 - grid_lo**rows) ** bands, grid_lo)
        fn = np.trapezoid((1 - grid_hi**rows) ** bands, grid_hi)
        err = fp_weight * fp + fn_weight * fn
        if err < best[0]:
            best = (float(err), bands, rows)
    return best[1], best[2]


def band_edges(signatures: U32, bands: int, rows: int) -> tuple[I64, I64]:
    """Candidate edges: each text to the first text (lowest index) sharing one of its bands."""
    n = signatures.shape[0]
    src: list[I64] = []
    dst: list[I64] = []
    for b in range(bands):
        block = signatures[:, b * rows : (b + 1) * rows].astype(np.uint64)
        key = np.full(n, np.uint64(b + 1), dtype=np.uint64)
        for c in range(rows):
            key = mix64(key * _GOLDEN + block[:, c])
        order = np.argsort(key, kind="stable")
        ks = key[order]
        start = np.empty(n, dtype=bool)
        if n:
            start[0] = True
            np.not_equal(ks[1:], ks[:-1], out=start[1:])
        first = order[start][np.cumsum(start) - 1]
        linked = first != order
        src.append(order[linked])
        dst.append(first[linked])
    if not src:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(src), np.concatenate(dst)
