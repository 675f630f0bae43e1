"""A statement of only invisible characters is refused."""

import pytest
from django.core.exceptions import ValidationError

from polyvox.statements.services import propose_statement

ZERO_WIDTH_ONLY = "\u200b\u200c\u2060\ufeff"


def test_a_statement_of_only_zero_width_characters_is_refused(participant, deliberation):
    with pytest.raises(ValidationError) as raised:
        propose_statement(author=participant, process=deliberation.process, text=ZERO_WIDTH_ONLY)

    assert "no visible characters" in raised.value.message_dict["text"][0]
