"""What a campaign member added beyond its template (used by `near_duplicates`).

Rule: a member's token is *shared* when some window of `shingle_size` consecutive tokens that
contains it also occurs in the template; every other token is *added*. Runs of added tokens are
the member's own words: an inserted personal story, a changed sentence, a new closing line.
Deleted or reordered template text adds nothing. The same shingles as clustering are used, so
"added" agrees with the similarity the member was clustered by.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from polyvox.analytics.text_normalization import token_spans, tokenize_bytes

__all__ = ["SEPARATOR", "added_runs", "unique_additions", "unique_additions_normalized"]

SEPARATOR = " … "


def _windows(tokens: Sequence[Hashable], size: int) -> set[tuple[Hashable, ...]]:
    return set(zip(*(tokens[i:] for i in range(size)), strict=False))


def added_runs(
    template: Sequence[Hashable],
    member: Sequence[Hashable],
    size: int,
    template_windows: set[tuple[Hashable, ...]] | None = None,
) -> list[tuple[int, int]]:
    """Half-open token ranges of `member` not covered by any window shared with `template`."""
    n = len(member)
    if n == 0:
        return []
    size = max(1, min(size, n, len(template) or 1))
    shared = template_windows if template_windows is not None else _windows(template, size)
    hits = [w in shared for w in zip(*(member[i:] for i in range(size)), strict=False)]
    covered = [False] * n
    for i, hit in enumerate(hits):
        if hit:
            covered[i : i + size] = [True] * size
    runs: list[tuple[int, int]] = []
    start = -1
    for i, c in enumerate(covered):
        if not c and start < 0:
            start = i
        elif c and start >= 0:
            runs.append((start, i))
            start = -1
    if start >= 0:
        runs.append((start, n))
    return runs


def unique_additions(template_text: str, member_text: str, *, shingle_size: int = 3) -> str:
    """The member's own text beyond the template, as it was written (original case, punctuation).

    Runs are joined by " … "; an empty string means the member added nothing.
    """
    template_tokens = tokenize_bytes(template_text)
    member_text_tokens, spans = token_spans(member_text)
    member_tokens = [t.encode("utf-8") for t in member_text_tokens]
    runs = added_runs(template_tokens, member_tokens, shingle_size)
    return SEPARATOR.join(member_text[spans[a][0] : spans[b - 1][1]] for a, b in runs)


def unique_additions_normalized(
    template_text: str, member_texts: Sequence[str], *, shingle_size: int = 3
) -> list[str]:
    """Fast bulk form for many members of one template: normalised (case-folded) tokens."""
    template_tokens = tokenize_bytes(template_text)
    n = len(template_tokens)
    cache: dict[int, set[tuple[Hashable, ...]]] = {}
    out: list[str] = []
    for text in member_texts:
        tokens = tokenize_bytes(text)
        size = max(1, min(shingle_size, len(tokens), n or 1))
        if size not in cache:
            cache[size] = _windows(template_tokens, size)
        runs = added_runs(template_tokens, tokens, size, cache[size])
        out.append(SEPARATOR.join(b" ".join(tokens[a:b]).decode("utf-8") for a, b in runs))
    return out
