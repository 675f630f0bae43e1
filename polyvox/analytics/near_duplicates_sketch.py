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
import itertools
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

    exact_keys: npt.NDArray[np.void]  # 16-byte blake2b of the normalised token sequence
    n_tokens: I64
    offsets: I64  # shingles of text i are shingles[offsets[i]:offsets[i + 1]]
    shingles: U32  # sorted and unique within each text
    signatures: U32  # (n, num_perm); all _EMPTY for a text without tokens


def sketch_tokens(
    token_lists: Sequence[Sequence[bytes]], *, shingle_size: int, num_perm: int, seed: int
) -> Sketches:
    """Sketch a batch of tokenised texts (tokens as UTF-8 bytes, as from `tokenize_bytes`)."""
    n = len(token_lists)
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=n)
    exact = b"".join(
        hashlib.blake2b(b" ".join(toks), digest_size=16).digest() for toks in token_lists
    )
    exact_keys = np.frombuffer(exact, dtype="V16").copy() if n else np.empty(0, "V16")
    flat = list(itertools.chain.from_iterable(token_lists))
    vocab = {word: i for i, word in enumerate(dict.fromkeys(flat))}
    word_hash = np.frombuffer(
        b"".join(hashlib.blake2b(w, digest_size=8).digest() for w in vocab), dtype=np.uint64
    )
    ids = np.fromiter(map(vocab.__getitem__, flat), dtype=np.int64, count=len(flat))
    token_hash = word_hash[ids] if len(flat) else np.empty(0, np.uint64)
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
