"""The Merkle tree of a process record (RFC 9162 §2.1), pure and stdlib only.

Hashes (§2.1.1): a leaf is ``SHA-256(0x00 ‖ leaf bytes)``, an interior node
``SHA-256(0x01 ‖ left ‖ right)``, the tree of no leaves ``SHA-256("")``. The tree of n > 1
leaves splits at k, the largest power of two smaller than n: ``MTH(D[0:k])`` on the left,
``MTH(D[k:n])`` on the right.

The server stores the hash of every *complete* subtree — node (level, position) covers the
leaves ``[position·2^level, (position+1)·2^level)`` — so the hash of any range the RFC's
proofs need is a fold over at most ~log2(n) stored nodes (``covering_nodes``/``range_hash``).
Proofs are described as leaf ranges (``inclusion_ranges`` §2.1.3.1, ``consistency_ranges``
§2.1.4.1) and verified with the RFC's bit-walk algorithms (§2.1.3.2, §2.1.4.2).

No maintained Python library produces RFC 9162 proofs from stored subtree hashes, so this is
written by hand, iteratively (sizes up to 2^63 need no recursion), and tested against a
second, recursive implementation written straight from the RFC's definitions.
"""

import hashlib
from collections.abc import Iterable, Mapping, Sequence

NodeId = tuple[int, int]  # (level, position)

HASH_SIZE = 32
EMPTY_ROOT: bytes = hashlib.sha256(b"").digest()


def leaf_hash(leaf: bytes) -> bytes:
    """RFC 9162 §2.1.1: the hash of one leaf, domain-separated by a 0x00 byte."""
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 §2.1.1: the hash of an interior node, domain-separated by a 0x01 byte."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly smaller than n (n ≥ 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def covering_nodes(start: int, end: int) -> list[NodeId]:
    """The complete subtrees whose hashes make ``MTH(D[start:end])``, left to right.

    In the RFC's shape the left part of every split is complete, so the nodes are the binary
    decomposition of ``end - start``, largest first. ``start`` must be aligned to the largest
    of them (every range a proof or a tree head needs is).
    """
    if start < 0 or end < start:
        raise ValueError(f"invalid leaf range [{start}, {end})")
    nodes: list[NodeId] = []
    remaining = end - start
    if remaining == 0:
        return nodes
    top = remaining.bit_length() - 1
    if start % (1 << top):
        raise ValueError(f"leaf range [{start}, {end}) does not start on a subtree boundary")
    position = start
    for level in range(top, -1, -1):
        if remaining >> level & 1:
            nodes.append((level, position >> level))
            position += 1 << level
    return nodes


def _fold(hashes: Sequence[bytes]) -> bytes:
    """``MTH`` from the hashes of its covering nodes: each is the left child of the rest."""
    if not hashes:
        return EMPTY_ROOT
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def range_hash(start: int, end: int, nodes: Mapping[NodeId, bytes]) -> bytes:
    """``MTH(D[start:end])`` from stored complete-subtree hashes (``EMPTY_ROOT`` when empty).

    Raises KeyError naming the first node missing from ``nodes``.
    """
    needed = covering_nodes(start, end)
    missing = [node for node in needed if node not in nodes]
    if missing:
        raise KeyError(f"missing tree node (level, position) {missing[0]}")
    return _fold([nodes[node] for node in needed])


def root_from_leaf_hashes(leaf_hashes: Iterable[bytes]) -> bytes:
    """``MTH`` of a whole list of leaf hashes, in O(log n) memory (to verify an export)."""
    stack: list[tuple[int, bytes]] = []  # (level, hash) of the complete subtrees so far
    for current in leaf_hashes:
        level = 0
        while stack and stack[-1][0] == level:
            current = node_hash(stack.pop()[1], current)
            level += 1
        stack.append((level, current))
    return _fold([hash_ for _, hash_ in stack])


def extend(
    size: int, frontier: Mapping[NodeId, bytes], new_leaf_hashes: Sequence[bytes]
) -> tuple[list[tuple[int, int, bytes]], bytes]:
    """Append leaves to a tree of ``size`` leaves whose right edge is ``frontier``.

    ``frontier`` must hold the nodes ``covering_nodes(0, size)``. Returns every complete node
    the new leaves create, as (level, position, hash) — the leaves themselves at level 0 — and
    the root of the grown tree.
    """
    stack: list[tuple[int, int, bytes]] = []
    for level, position in covering_nodes(0, size):
        if (level, position) not in frontier:
            raise KeyError(f"missing tree node (level, position) {(level, position)}")
        stack.append((level, position, frontier[level, position]))
    created: list[tuple[int, int, bytes]] = []
    for offset, leaf in enumerate(new_leaf_hashes):
        node = (0, size + offset, leaf)
        created.append(node)
        while stack and stack[-1][0] == node[0]:
            left = stack.pop()
            node = (node[0] + 1, left[1] >> 1, node_hash(left[2], node[2]))
            created.append(node)
        stack.append(node)
    return created, _fold([hash_ for _, _, hash_ in stack])


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """RFC 9162 §2.1.3.1 ``PATH(index, D[size])`` as leaf ranges, from the leaf upwards."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is not in a tree of {size} leaves")
    ranges: list[tuple[int, int]] = []
    low, high = 0, size
    while high - low > 1:
        k = _split(high - low)
        if index < low + k:
            ranges.append((low + k, high))
            high = low + k
        else:
            ranges.append((low, low + k))
            low += k
    ranges.reverse()
    return ranges


def consistency_ranges(first: int, second: int) -> list[tuple[int, int]]:
    """RFC 9162 §2.1.4.1 ``PROOF(first, D[second])`` as leaf ranges, in proof order."""
    if not 0 < first <= second:
        raise ValueError(f"no consistency proof from {first} to {second} leaves")
    ranges: list[tuple[int, int]] = []
    low, high, m, whole_old_tree = 0, second, first, True
    while m != high - low:
        k = _split(high - low)
        if m <= k:
            ranges.append((low + k, high))
            high = low + k
        else:
            ranges.append((low, low + k))
            low += k
            m -= k
            whole_old_tree = False
    if not whole_old_tree:
        ranges.append((low, high))
    ranges.reverse()
    return ranges


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes) and len(value) == HASH_SIZE


def _is_proof(value: object) -> bool:
    if isinstance(value, (bytes, bytearray, str)) or not isinstance(value, Sequence):
        return False
    return all(_is_hash(item) for item in value)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: is the leaf at ``index`` in the tree of ``size`` with ``root``?"""
    if not (_is_count(index) and _is_count(size) and index < size):
        return False
    if not (_is_hash(leaf_hash) and _is_hash(root)):
        return False
    if not _is_proof(proof):
        return False
    fn, sn, result = index, size - 1, leaf_hash
    for sibling in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            result = node_hash(result, sibling)
        fn >>= 1
        sn >>= 1
    return sn == 0 and result == root


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: does the tree of ``second`` leaves extend the one of ``first``?"""
    if not (_is_count(first) and _is_count(second) and 0 < first <= second):
        return False
    if not (_is_hash(first_root) and _is_hash(second_root)):
        return False
    if not _is_proof(proof):
        return False
    if first == second:
        return len(proof) == 0 and first_root == second_root
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    if not path:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for node in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(node, fr)
            sr = node_hash(node, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, node)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0
