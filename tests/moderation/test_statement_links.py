"""'Flag' beside each statement of the statements list, through the statements app's link registry
(statements cannot name moderation, which is above it)."""

import pytest
from django.urls import reverse

from polyvox.moderation.models import Flag
from polyvox.statements import item_links
from polyvox.statements.hiding import hide_statement
from tests.factories import make_statement

pytestmark = pytest.mark.django_db


def _list(process):
    return reverse("statements:list", kwargs={"slug": process.slug})


def _flag(process, statement):
    return reverse(
        "moderation:flag_statement", kwargs={"slug": process.slug, "statement_id": statement.pk}
    )


def test_a_signed_in_participant_sees_flag_beside_each_statement_and_can_flag_it(
    client, open_phase, process, participant, other_participant
):
    first = make_statement(process, "Rural backhaul should be regulated.", author=other_participant)
    second = make_statement(process, "Spectrum fees should fall.", author=other_participant)
    client.force_login(participant)

    page = client.get(_list(process)).content.decode()

    assert f'href="{_flag(process, first)}"' in page
    assert f'href="{_flag(process, second)}"' in page
    assert f'aria-label="Flag: statement #{first.pk}"' in page
    answer = client.post(
        _flag(process, first), {"reason_code": "spam", "text": "An advert for a shop."}
    )
    assert answer.status_code == 302
    assert Flag.objects.filter(statement=first, flagger=participant, reason_code="spam").exists()


def test_no_flag_link_for_the_public_or_the_statement_s_own_author(
    client, open_phase, process, participant
):
    mine = make_statement(process, "Community networks need spectrum.", author=participant)

    assert _flag(process, mine) not in client.get(_list(process)).content.decode()
    client.force_login(participant)
    assert _flag(process, mine) not in client.get(_list(process)).content.decode()


def test_a_hidden_statement_shows_its_tombstone_and_no_flag_link(
    client, open_phase, process, secretariat, participant, other_participant
):
    statement = make_statement(process, "HIDDEN-STATEMENT advert", author=other_participant)
    hide_statement(
        actor=secretariat, statement=statement, reason_code="spam", reason="An advertisement."
    )
    client.force_login(participant)

    page = client.get(_list(process)).content.decode()

    assert "HIDDEN-STATEMENT" not in page
    assert "Hidden on" in page
    assert _flag(process, statement) not in page


def test_the_registry_gives_each_app_s_links_in_key_order_and_skips_those_it_declines(
    process, participant
):
    statement = make_statement(process, "A statement.")
    saved = dict(item_links._links)
    try:
        item_links.register_statement_link("zz-never", "Never", lambda p, s, v: None)
        item_links.register_statement_link("aa-first", "First", lambda p, s, v: f"/first/{s.pk}/")

        links = item_links.links_by_statement(process, [statement], participant)[statement.pk]
    finally:
        item_links._links.clear()
        item_links._links.update(saved)

    assert [link.label for link in links][:2] == ["First", "Flag"]
    assert links[0].url == f"/first/{statement.pk}/"
    assert "Never" not in [link.label for link in links]
