"""polyvox.record.merkle against a second, recursive implementation written from RFC 9162 §2.1.

The reference below follows the RFC's definitions literally (MTH, PATH, SUBPROOF over a list of
leaves); the module under test works iteratively from stored complete-subtree hashes. Every tree
size 1..40, every index and every (first, second) pair are compared, and the published
Certificate Transparency test vectors pin both.
"""

import hashlib
import subprocess
import sys
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from polyvox.record import merkle
from polyvox.record.merkle import NodeId

MAX_SIZE = 40


# --- reference implementation, straight from RFC 9162 §2.1 ---------------------------------


def ref_leaf(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def ref_mth(leaves: Sequence[bytes]) -> bytes:
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return ref_leaf(leaves[0])
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + ref_mth(leaves[:k]) + ref_mth(leaves[k:])).digest()


def ref_path(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    n = len(leaves)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return [*ref_path(m, leaves[:k]), ref_mth(leaves[k:])]
    return [*ref_path(m - k, leaves[k:]), ref_mth(leaves[:k])]


def ref_subproof(m: int, leaves: Sequence[bytes], whole: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if whole else [ref_mth(leaves)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return [*ref_subproof(m, leaves[:k], whole), ref_mth(leaves[k:])]
    return [*ref_subproof(m - k, leaves[k:], False), ref_mth(leaves[:k])]


def ref_consistency(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    return ref_subproof(m, leaves, True)


# --- helpers --------------------------------------------------------------------------------

LEAVES = [f"entry {i}".encode() for i in range(MAX_SIZE)]
LEAF_HASHES = [merkle.leaf_hash(leaf) for leaf in LEAVES]


def build_nodes(size: int, batches: Sequence[int]) -> dict[NodeId, bytes]:
    """Store every node ``extend`` creates, appending ``size`` leaves in batches of these sizes."""
    nodes: dict[NodeId, bytes] = {}
    done = 0
    turn = 0
    while done < size:
        count = min(batches[turn % len(batches)], size - done)
        turn += 1
        frontier = {node: nodes[node] for node in merkle.covering_nodes(0, done)}
        created, root = merkle.extend(done, frontier, LEAF_HASHES[done : done + count])
        for level, position, hash_ in created:
            assert (level, position) not in nodes, "a node was created twice"
            nodes[level, position] = hash_
        done += count
        assert root == ref_mth(LEAVES[:done])
    return nodes


BATCH_SHAPES = [(1,), (2,), (3,), (7,), (MAX_SIZE,), (1, 5, 2), (4, 1)]


@pytest.fixture(scope="module")
def node_sets() -> list[dict[NodeId, bytes]]:
    return [build_nodes(MAX_SIZE, shape) for shape in BATCH_SHAPES]


def flip(hash_: bytes) -> bytes:
    return bytes([hash_[0] ^ 1]) + hash_[1:]


# --- published vectors ----------------------------------------------------------------------

CT_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    bytes(range(0x60, 0x70)),
]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def test_empty_tree_is_the_hash_of_nothing() -> None:
    assert merkle.EMPTY_ROOT.hex() == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
    assert merkle.root_from_leaf_hashes([]) == merkle.EMPTY_ROOT
    assert merkle.extend(0, {}, []) == ([], merkle.EMPTY_ROOT)
    assert merkle.range_hash(0, 0, {}) == merkle.EMPTY_ROOT


@pytest.mark.parametrize("size", range(1, 9))
def test_certificate_transparency_roots(size: int) -> None:
    hashes = [merkle.leaf_hash(leaf) for leaf in CT_LEAVES[:size]]
    assert ref_mth(CT_LEAVES[:size]).hex() == CT_ROOTS[size - 1]
    assert merkle.root_from_leaf_hashes(hashes).hex() == CT_ROOTS[size - 1]
    assert merkle.extend(0, {}, hashes)[1].hex() == CT_ROOTS[size - 1]


def test_certificate_transparency_proofs() -> None:
    hashes = [merkle.leaf_hash(leaf) for leaf in CT_LEAVES]
    nodes = {(level, pos): h for level, pos, h in merkle.extend(0, {}, hashes)[0]}
    inclusion = [merkle.range_hash(a, b, nodes).hex() for a, b in merkle.inclusion_ranges(5, 8)]
    assert inclusion == [
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ]
    consistency = [merkle.range_hash(a, b, nodes).hex() for a, b in merkle.consistency_ranges(3, 8)]
    assert consistency == [
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ]
    assert consistency == [h.hex() for h in ref_consistency(3, CT_LEAVES)]


# --- every size, every index, every pair ----------------------------------------------------


@pytest.mark.parametrize("size", range(1, MAX_SIZE + 1))
def test_roots_and_range_hashes_match_the_reference(
    size: int, node_sets: list[dict[NodeId, bytes]]
) -> None:
    expected = ref_mth(LEAVES[:size])
    assert merkle.root_from_leaf_hashes(LEAF_HASHES[:size]) == expected
    for nodes in node_sets:
        assert merkle.range_hash(0, size, nodes) == expected
    # The stored nodes are exactly the complete subtrees: one per aligned power-of-two block.
    nodes = build_nodes(size, (3,))
    expected_nodes = {
        (level, pos) for level in range(7) for pos in range(size >> level) if size >> level
    }
    assert set(nodes) == expected_nodes
    for (level, pos), hash_ in nodes.items():
        assert hash_ == ref_mth(LEAVES[pos << level : (pos + 1) << level])


@pytest.mark.parametrize("size", range(1, MAX_SIZE + 1))
def test_inclusion_proofs_match_the_reference_and_verify(
    size: int, node_sets: list[dict[NodeId, bytes]]
) -> None:
    root = ref_mth(LEAVES[:size])
    for index in range(size):
        expected = ref_path(index, LEAVES[:size])
        ranges = merkle.inclusion_ranges(index, size)
        for nodes in node_sets:
            assert [merkle.range_hash(a, b, nodes) for a, b in ranges] == expected
        leaf = LEAF_HASHES[index]
        assert merkle.verify_inclusion(leaf, index, size, expected, root)
        # Tampering of every kind is refused.
        assert not merkle.verify_inclusion(flip(leaf), index, size, expected, root)
        assert not merkle.verify_inclusion(leaf, index, size, expected, flip(root))
        for position in range(len(expected)):
            bad = list(expected)
            bad[position] = flip(bad[position])
            assert not merkle.verify_inclusion(leaf, index, size, bad, root)
        if expected:
            assert not merkle.verify_inclusion(leaf, index, size, expected[:-1], root)
        assert not merkle.verify_inclusion(leaf, index, size, [*expected, root], root)
        for other in (index - 1, index + 1):
            if 0 <= other < size:
                assert not merkle.verify_inclusion(leaf, other, size, expected, root)
        # A wrong size is refused whenever its proof has another length. (Where the path
        # shape is the same — leaf 0 of 3 or 4 leaves — only the signed checkpoint binds the
        # size to the root: RFC 9162 verifies against a signed tree head.)
        for other_size in (size - 1, size + 1, size * 2):
            if index >= other_size or len(merkle.inclusion_ranges(index, other_size)) != len(
                expected
            ):
                assert not merkle.verify_inclusion(leaf, index, other_size, expected, root)


@pytest.mark.parametrize("second", range(1, MAX_SIZE + 1))
def test_consistency_proofs_match_the_reference_and_verify(
    second: int, node_sets: list[dict[NodeId, bytes]]
) -> None:
    second_root = ref_mth(LEAVES[:second])
    for first in range(1, second + 1):
        first_root = ref_mth(LEAVES[:first])
        expected = ref_consistency(first, LEAVES[:second])
        ranges = merkle.consistency_ranges(first, second)
        for nodes in node_sets:
            assert [merkle.range_hash(a, b, nodes) for a, b in ranges] == expected
        verify = merkle.verify_consistency
        assert verify(first, second, first_root, second_root, expected)
        assert not verify(first, second, flip(first_root), second_root, expected)
        assert not verify(first, second, first_root, flip(second_root), expected)
        for position in range(len(expected)):
            bad = list(expected)
            bad[position] = flip(bad[position])
            assert not verify(first, second, first_root, second_root, bad)
        if expected:
            assert not verify(first, second, first_root, second_root, expected[:-1])
        assert not verify(first, second, first_root, second_root, [*expected, first_root])
        # The proof and roots belong to (first, second): other sizes are refused.
        assert not verify(second, first, second_root, first_root, expected) or first == second
        # Wrong sizes are refused whenever their proof has another length (as for inclusion,
        # the signed checkpoints bind sizes to roots where the shapes coincide).
        for other_first, other_second in ((first - 1, second), (first, second + 1)):
            if other_first < 1 or len(merkle.consistency_ranges(other_first, other_second)) != len(
                expected
            ):
                assert not verify(other_first, other_second, first_root, second_root, expected)
        if first < second:
            # A rewritten history (another old tree) cannot be proven consistent.
            other_root = ref_mth([b"rewritten", *LEAVES[1:first]])
            assert not verify(first, second, other_root, second_root, expected)


def test_a_rewritten_entry_is_caught_by_consistency() -> None:
    old = [*LEAVES[:10]]
    new = [*LEAVES[:4], b"changed", *LEAVES[5:20]]
    proof = ref_consistency(10, new)
    assert not merkle.verify_consistency(10, 20, ref_mth(old), ref_mth(new), proof)


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(("index", "size"), [(0, 0), (-1, 3), (3, 3), (10, 2)])
def test_inclusion_ranges_refuse_an_index_outside_the_tree(index: int, size: int) -> None:
    with pytest.raises(ValueError, match="not in a tree"):
        merkle.inclusion_ranges(index, size)


@pytest.mark.parametrize(("first", "second"), [(0, 0), (0, 5), (-1, 5), (6, 5)])
def test_consistency_ranges_refuse_impossible_sizes(first: int, second: int) -> None:
    with pytest.raises(ValueError, match="no consistency proof"):
        merkle.consistency_ranges(first, second)


def test_first_equal_second_has_an_empty_proof() -> None:
    root = ref_mth(LEAVES[:5])
    assert merkle.consistency_ranges(5, 5) == []
    assert merkle.verify_consistency(5, 5, root, root, [])
    assert not merkle.verify_consistency(5, 5, root, flip(root), [])
    assert not merkle.verify_consistency(5, 5, root, root, [root])


def test_covering_nodes_and_range_hash_refuse_what_is_not_stored() -> None:
    assert merkle.covering_nodes(0, 13) == [(3, 0), (2, 2), (0, 12)]
    assert merkle.covering_nodes(8, 13) == [(2, 2), (0, 12)]
    with pytest.raises(ValueError, match="subtree boundary"):
        merkle.covering_nodes(1, 5)  # [1, 5) is no complete subtree
    with pytest.raises(ValueError, match="invalid leaf range"):
        merkle.covering_nodes(5, 4)
    with pytest.raises(KeyError, match=r"\(2, 2\)"):
        merkle.range_hash(0, 13, {(3, 0): b"\x00" * 32})
    with pytest.raises(KeyError):
        merkle.extend(3, {(1, 0): b"\x00" * 32}, [LEAF_HASHES[3]])


@pytest.mark.parametrize(
    "arguments",
    [
        (b"short", 0, 1, [], b"\x00" * 32),
        (b"\x00" * 32, 0, 1, [], b"short"),
        (b"\x00" * 32, 0, 2, b"\x00" * 32, b"\x00" * 32),
        (b"\x00" * 32, 0, 2, ["not bytes"], b"\x00" * 32),
        (b"\x00" * 32, 0, 2, None, b"\x00" * 32),
        (b"\x00" * 32, "0", 2, [], b"\x00" * 32),
        (b"\x00" * 32, True, 2, [], b"\x00" * 32),
        (None, 0, 1, [], None),
    ],
)
def test_verify_inclusion_returns_false_on_garbage(arguments: tuple[object, ...]) -> None:
    assert merkle.verify_inclusion(*arguments) is False  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "arguments",
    [
        (0, 4, b"\x00" * 32, b"\x00" * 32, []),
        (2, 4, b"short", b"\x00" * 32, [b"\x00" * 32]),
        (2, 4, b"\x00" * 32, b"\x00" * 32, "proof"),
        (2, 4, b"\x00" * 32, b"\x00" * 32, [1, 2]),
        (2.0, 4, b"\x00" * 32, b"\x00" * 32, [b"\x00" * 32]),
        (3, 4, b"\x00" * 32, b"\x00" * 32, []),
    ],
)
def test_verify_consistency_returns_false_on_garbage(arguments: tuple[object, ...]) -> None:
    assert merkle.verify_consistency(*arguments) is False  # type: ignore[arg-type]


# --- large trees, without recursion ---------------------------------------------------------


def test_ranges_for_a_tree_of_two_to_the_forty_leaves() -> None:
    size = (1 << 40) + 12345
    path = merkle.inclusion_ranges(size - 1, size)
    assert len(path) <= 41
    assert merkle.covering_nodes(0, size)[0] == (40, 0)
    assert len(merkle.consistency_ranges(size - 7, size)) <= 2 * 41


@given(
    size=st.integers(min_value=1, max_value=300),
    batches=st.lists(st.integers(min_value=1, max_value=64), min_size=1, max_size=6),
    data=st.data(),
)
def test_any_batching_gives_the_same_proofs(
    size: int, batches: list[int], data: st.DataObject
) -> None:
    leaves = [i.to_bytes(4, "big") for i in range(size)]
    hashes = [merkle.leaf_hash(leaf) for leaf in leaves]
    nodes: dict[NodeId, bytes] = {}
    done, turn = 0, 0
    while done < size:
        count = min(batches[turn % len(batches)], size - done)
        turn += 1
        frontier = {node: nodes[node] for node in merkle.covering_nodes(0, done)}
        created, root = merkle.extend(done, frontier, hashes[done : done + count])
        nodes.update({(level, pos): h for level, pos, h in created})
        done += count
    assert root == ref_mth(leaves)
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    proof = [merkle.range_hash(a, b, nodes) for a, b in merkle.inclusion_ranges(index, size)]
    assert proof == ref_path(index, leaves)
    assert merkle.verify_inclusion(hashes[index], index, size, proof, root)
    first = data.draw(st.integers(min_value=1, max_value=size))
    proof = [merkle.range_hash(a, b, nodes) for a, b in merkle.consistency_ranges(first, size)]
    assert proof == ref_consistency(first, leaves)
    assert merkle.verify_consistency(first, size, ref_mth(leaves[:first]), root, proof)


def test_the_log_primitives_need_no_django() -> None:
    """Anyone can verify a record with these three modules alone: they import no Django."""
    code = (
        "import sys\n"
        "import polyvox.record.entries, polyvox.record.merkle, polyvox.record.notes\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] == 'django']\n"
        "loaded += [m for m in sys.modules if m.startswith('polyvox.')\n"
        "           and m.rsplit('.', 1)[-1] not in ('record', 'entries', 'merkle', 'notes')]\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""
