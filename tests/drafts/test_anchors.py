"""Sections parsed from Markdown get stable anchors that survive later versions."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from polyvox.drafts.anchors import (
    AnchoredSection,
    ParsedSection,
    assign_anchors,
    carry_over_anchors,
    parse_sections,
    slugify_anchor,
)

ANCHOR = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def anchors_of(markdown: str) -> list[str]:
    return [s.anchor for s in assign_anchors(parse_sections(markdown))]


def test_headings_and_blocks_become_sections_in_order():
    markdown = "# Title\n\nIntro.\n\n## Scope\n\n- one\n- two\n\n> quoted\n> still quoted\n"

    sections = parse_sections(markdown)

    assert sections == [
        ParsedSection(level=1, heading="Title"),
        ParsedSection(level=0, text="Intro."),
        ParsedSection(level=2, heading="Scope"),
        ParsedSection(level=0, text="- one\n- two"),
        ParsedSection(level=0, text="> quoted\n> still quoted"),
    ]


def test_all_six_heading_levels_are_sections_and_thematic_breaks_are_not():
    markdown = "# a\n## b\n### c\n#### d\n##### e\n###### f\n\n---\n"

    assert [s.level for s in parse_sections(markdown)] == [1, 2, 3, 4, 5, 6]


def test_a_multi_line_paragraph_stays_one_section():
    assert parse_sections("first line\nsecond line\n\nnext") == [
        ParsedSection(level=0, text="first line\nsecond line"),
        ParsedSection(level=0, text="next"),
    ]


def test_heading_anchors_are_slugs_and_paragraph_anchors_follow_their_heading():
    markdown = "Preamble.\n\n# 1. Scope & Purpose\n\nFirst.\n\nSecond.\n\n## Définitions\n\nThird."

    assert anchors_of(markdown) == [
        "p1", "1-scope-purpose", "1-scope-purpose-p1", "1-scope-purpose-p2",
        "definitions", "definitions-p1",
    ]  # fmt: skip


def test_repeated_headings_get_numbered_suffixes():
    assert anchors_of("# Scope\n\n# Scope\n\n# Scope") == ["scope", "scope-2", "scope-3"]


def test_arabic_and_chinese_headings_get_a_hash_anchor():
    arabic, chinese = slugify_anchor("مبادئ الشبكات المجتمعية"), slugify_anchor("社区网络原则")

    assert arabic.startswith("s-")
    assert len(arabic) == 10
    assert chinese.startswith("s-")
    assert len(chinese) == 10
    assert arabic != chinese
    assert ANCHOR.match(arabic)
    assert ANCHOR.match(chinese)


def test_unicode_headings_yield_valid_unique_anchors():
    anchors = anchors_of("# مبادئ\n\nنص عربي.\n\n# 原则\n\n中文段落。\n\n# مبادئ")

    assert len(set(anchors)) == 5
    assert all(ANCHOR.match(anchor) for anchor in anchors)
    assert anchors[1] == f"{anchors[0]}-p1"


def test_long_headings_are_cut_to_a_valid_anchor_length():
    anchor = slugify_anchor("word " * 100)

    assert len(anchor) <= 60
    assert ANCHOR.match(anchor)


def test_unchanged_sections_keep_their_anchor_even_when_moved():
    v1 = assign_anchors(parse_sections("# A\n\nAlpha text here.\n\n# B\n\nBeta text here."))
    v2 = carry_over_anchors(v1, parse_sections("# B\n\nBeta text here.\n\n# A\n\nAlpha text here."))

    assert [s.anchor for s in v2] == ["b", "b-p1", "a", "a-p1"]


def test_edited_sections_keep_their_anchor():
    v1 = assign_anchors(
        parse_sections("# Scope\n\nThe principles apply to all community networks.")
    )
    new = parse_sections("# Scope\n\nThe principles apply to all small community networks.")

    v2 = carry_over_anchors(v1, new)

    assert [s.anchor for s in v2] == ["scope", "scope-p1"]


def test_a_renamed_heading_keeps_its_anchor_when_similar():
    v1 = assign_anchors(parse_sections("# Principles for community networks"))

    v2 = carry_over_anchors(v1, parse_sections("# Principles for rural community networks"))

    assert v2[0].anchor == "principles-for-community-networks"


def test_a_paragraph_rewritten_under_the_same_heading_keeps_its_anchor():
    v1 = assign_anchors(parse_sections("# Scope\n\nOld wording about spectrum.\n\n# Other"))
    v2 = carry_over_anchors(
        v1, parse_sections("# Scope\n\nEntirely different content now.\n\n# Other")
    )

    assert [s.anchor for s in v2] == ["scope", "scope-p1", "other"]


def test_punctuation_and_case_do_not_count_as_edits():
    v1 = assign_anchors(parse_sections("Licences must be simple and cheap."))
    v2 = carry_over_anchors(v1, parse_sections("# New\n\nlicences must be simple, and cheap!"))

    assert [s.anchor for s in v2] == ["new", "p1"]


def test_a_rewritten_paragraph_gets_a_new_anchor_when_paragraphs_were_also_added():
    v1 = assign_anchors(parse_sections("# Scope\n\nOld wording about spectrum."))
    new = parse_sections("# Scope\n\nEntirely different content now.\n\nAnd another one.")

    v2 = carry_over_anchors(v1, new)

    assert [s.anchor for s in v2] == ["scope", "scope-p2", "scope-p3"]


def test_anchors_used_in_older_versions_are_never_reused():
    v2 = carry_over_anchors(
        [AnchoredSection("scope", 1, heading="Scope")],
        parse_sections("# Scope\n\nNew paragraph."),
        used_anchors={"scope-p1"},
    )

    assert [s.anchor for s in v2] == ["scope", "scope-p2"]


def test_a_new_heading_with_a_used_slug_gets_a_suffix():
    v1 = assign_anchors(parse_sections("# Funding\n\nText."))
    v2 = carry_over_anchors(v1, parse_sections("# Access\n\nText.\n\n# Funding"))

    assert [s.anchor for s in v2] == ["access", "funding-p1", "funding"]


headings = st.text(alphabet=st.sampled_from("abcXYZ 12مبادئ原则-"), min_size=1, max_size=12)  # noqa: RUF001
paragraphs = st.text(alphabet=st.sampled_from("lorem ipsum dolor 中文 نص"), min_size=1, max_size=30)
blocks = st.lists(
    st.one_of(
        st.tuples(st.integers(1, 6), headings).map(lambda t: "#" * t[0] + " " + t[1]),
        paragraphs,
    ),
    min_size=1,
    max_size=15,
)


@settings(max_examples=60, deadline=None)
@given(blocks)
def test_anchors_are_unique_and_valid_in_every_version(parts):
    anchors = anchors_of("\n\n".join(parts))

    assert len(anchors) == len(set(anchors))
    assert all(ANCHOR.match(anchor) and len(anchor) <= 80 for anchor in anchors)


@settings(max_examples=60, deadline=None)
@given(blocks)
def test_importing_the_same_text_twice_keeps_every_anchor(parts):
    sections = parse_sections("\n\n".join(parts))
    v1 = assign_anchors(sections)

    v2 = carry_over_anchors(v1, sections, used_anchors={s.anchor for s in v1})

    assert v2 == v1


@settings(max_examples=60, deadline=None)
@given(blocks, blocks)
def test_a_new_version_never_repeats_an_anchor_and_never_reuses_a_removed_one(first, second):
    v1 = assign_anchors(parse_sections("\n\n".join(first)))
    v2 = carry_over_anchors(v1, parse_sections("\n\n".join(second)))

    anchors = [s.anchor for s in v2]
    assert len(anchors) == len(set(anchors))
    old = {s.anchor: s for s in v1}
    for section in v2:
        if section.anchor in old:  # a reused anchor names the same kind of section
            assert (old[section.anchor].level > 0) == (section.level > 0)
