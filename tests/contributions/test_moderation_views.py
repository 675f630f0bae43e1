"""Hiding from the page: a tombstone for the public, kept (and labelled) for the secretariat."""

from tests.factories import contribution_url as url
from tests.factories import submit_comment


def test_a_hidden_contribution_is_a_tombstone_for_the_public_and_kept_for_the_secretariat(
    client, open_phase, participant, secretariat, section
):
    contribution = submit_comment(participant, section)
    client.force_login(secretariat)
    client.post(
        url("hide", open_phase.process, tracking_number=contribution.tracking_number),
        {"reason_code": "personal_attack", "reason": "Abuse."},
    )
    detail = url("detail", open_phase.process, tracking_number=contribution.tracking_number)

    as_secretariat = client.get(detail)
    client.logout()
    as_public = client.get(detail)

    assert (as_secretariat.status_code, as_public.status_code) == (200, 200)
    assert "Hidden by the secretariat: Abuse." in as_secretariat.content.decode()
    assert "reason: Personal attack or harassment" in as_public.content.decode()
    assert "A point." not in as_public.content.decode()
