"""Text that cannot be stored or seen is refused with the field and a clear reason, never cut."""

import pytest
from django.core.exceptions import ValidationError

from polyvox.campaigns.services.intake import clean_external_id
from polyvox.contributions.services.rules import clean_body, clean_title
from polyvox.core.text import refuse_invisible_only, refuse_nul, refuse_unstorable


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a\x00b", "The text contains a NUL character (U+0000)."),
        ("bell\x07", "The text contains a control character (U+0007) at position 5."),
        ("next\x85line", "The text contains a control character (U+0085) at position 5."),
        (
            "x\ud800",
            "The text contains a lone surrogate (U+D800) at position 2: it is not valid Unicode.",
        ),
        ("\ufdd0", "The text contains a Unicode noncharacter (U+FDD0) at position 1."),
        ("ok\U0010ffff", "The text contains a Unicode noncharacter (U+10FFFF) at position 3."),
    ],
)
def test_unstorable_text_is_refused_on_its_field(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        refuse_unstorable(text, "body")

    assert refused.value.message_dict == {"body": [message]}


def test_tabs_newlines_and_every_script_are_text() -> None:
    refuse_unstorable(
        "Línea\tuno\r\n\u0627\u0644\u0633\u0637\u0631 2 — 中文 🙂", "body"
    )  # no error


def test_refuse_nul_is_the_same_check() -> None:
    with pytest.raises(ValidationError):
        refuse_nul("x\ud800", "title")


@pytest.mark.parametrize(
    "text",
    ["   ", "\u200b", "\u200b\u200c\u200d\u2060\ufeff", "\u200e\u200f\u202e", "\u3164", "\u0301"],
)
def test_text_with_nothing_visible_is_refused(text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        refuse_invisible_only(text, "body")

    assert refused.value.message_dict == {
        "body": ["The text has no visible characters (only spaces or invisible characters)."]
    }


def test_visible_text_with_invisible_characters_passes() -> None:
    refuse_invisible_only("a\u200bb", "body")
    refuse_invisible_only("", "body")  # empty is the field's "required" rule


def test_an_input_of_zero_width_spaces_is_refused_by_the_contribution_rules() -> None:
    with pytest.raises(ValidationError) as refused:
        clean_body("\u200b\u200b\u200b")
    assert "no visible characters" in refused.value.message_dict["body"][0]
    with pytest.raises(ValidationError) as title:
        clean_title("\u2060")
    assert "no visible characters" in title.value.message_dict["title"][0]


def test_a_too_long_external_id_is_refused_with_its_limit_not_cut() -> None:
    with pytest.raises(ValidationError) as refused:
        clean_external_id("x" * 5000)
    assert "external_id" in refused.value.message_dict
    with pytest.raises(ValidationError):
        clean_external_id("id\x00")
