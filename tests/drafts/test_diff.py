"""The section-level diff: added, removed, moved, changed, with word-level runs inside changes."""

from polyvox.drafts.anchors import AnchoredSection as S
from polyvox.drafts.diff import diff_sections, summarise, word_diff, word_tokens


def statuses(entries):
    return [(e.anchor, e.status) for e in entries]


def test_identical_versions_have_only_unchanged_sections():
    sections = [S("a", 1, heading="A"), S("a-p1", 0, text="Text.")]

    entries = diff_sections(sections, sections)

    assert statuses(entries) == [("a", "unchanged"), ("a-p1", "unchanged")]
    assert summarise(entries) == {
        "added": 0,
        "removed": 0,
        "changed": 0,
        "moved": 0,
        "unchanged": 2,
    }


def test_added_and_removed_sections_keep_their_place():
    older = [S("a", 1, heading="A"), S("old", 0, text="Gone."), S("b", 1, heading="B")]
    newer = [S("a", 1, heading="A"), S("b", 1, heading="B"), S("new", 0, text="Fresh.")]

    entries = diff_sections(older, newer)

    assert statuses(entries) == [
        ("a", "unchanged"),
        ("old", "removed"),
        ("b", "unchanged"),
        ("new", "added"),
    ]
    assert entries[1].old_content == "Gone."
    assert entries[3].new_content == "Fresh."


def test_a_removed_first_section_comes_first():
    entries = diff_sections([S("x", 0, text="X."), S("a", 0, text="A.")], [S("a", 0, text="A.")])

    assert statuses(entries) == [("x", "removed"), ("a", "unchanged")]


def test_a_section_placed_elsewhere_is_moved_and_the_others_are_not():
    older = [S("a", 0, text="A."), S("b", 0, text="B."), S("c", 0, text="C.")]
    newer = [S("b", 0, text="B."), S("c", 0, text="C."), S("a", 0, text="A.")]

    assert statuses(diff_sections(older, newer)) == [
        ("b", "unchanged"),
        ("c", "unchanged"),
        ("a", "moved"),
    ]


def test_a_changed_section_has_word_runs():
    older = [S("p1", 0, text="Networks must be licensed.")]
    newer = [S("p1", 0, text="Networks should be exempt.")]

    (entry,) = diff_sections(older, newer)

    assert entry.status == "changed"
    assert entry.runs == (
        ("equal", "Networks "),
        ("delete", "must"),
        ("insert", "should"),
        ("equal", " be "),
        ("delete", "licensed."),
        ("insert", "exempt."),
    )


def test_a_changed_and_moved_section_is_changed_and_flagged_moved():
    older = [S("a", 0, text="A one."), S("b", 0, text="B."), S("c", 0, text="C.")]
    newer = [S("b", 0, text="B."), S("c", 0, text="C."), S("a", 0, text="A two.")]

    entries = diff_sections(older, newer)

    assert [(e.anchor, e.status, e.moved) for e in entries] == [
        ("b", "unchanged", False),
        ("c", "unchanged", False),
        ("a", "changed", True),
    ]


def test_a_heading_whose_level_changes_is_changed():
    (entry,) = diff_sections([S("a", 2, heading="A")], [S("a", 3, heading="A")])

    assert (entry.status, entry.runs) == ("changed", (("equal", "A"),))


def test_word_diff_keeps_html_as_plain_text_for_the_template_to_escape():
    assert word_diff("a <b>", "a <i>") == [("equal", "a "), ("delete", "<b>"), ("insert", "<i>")]


def test_chinese_text_is_compared_character_by_character():
    assert word_diff("社区网络", "社区电网") == [
        ("equal", "社区"),
        ("insert", "电"),
        ("equal", "网"),
        ("delete", "络"),
    ]


def test_word_tokens_rebuild_the_text():
    text = "Le réseau  communautaire\n中文 and عربي."

    assert "".join(word_tokens(text)) == text


def test_changes_separated_only_by_spaces_read_as_one_change():
    assert word_diff("be simple and cheap.", "be simple, free & fast.") == [
        ("equal", "be "),
        ("delete", "simple and cheap."),
        ("insert", "simple, free & fast."),
    ]
