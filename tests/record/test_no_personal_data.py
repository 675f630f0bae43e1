"""The public record holds no personal data: no person's name, alias, username or e-mail.

The record is append-only and never rewritten, so a name written there could never follow the
person's later choices (an alias, an anonymous input, a closed account). Entries carry ids,
tracking numbers, organisation names, stakeholder groups, digests, counts and dates; a reader
follows the id to the public page, where the byline is the one the person chose.
"""

import json
import re

import pytest
from django.core.management import call_command

from polyvox.contributions.models import Contribution
from polyvox.participants.models import Profile, User
from polyvox.processes.models import Membership, Process, Role
from polyvox.processes.services.membership import add_member, remove_member
from polyvox.record.models import RecordEntry

# Kinds whose events are done by or about a person: the scenario must write each of them, or the
# test would pass without looking at what matters.
ABOUT_PEOPLE = {
    "contribution.submitted",
    "joint_statement_opened",
    "linked_statement_published",
    "joint_statement_signed",
    "joint_statement_signature_withdrawn",
    "caucus_thread_published",
    "commitment.made",
    "commitment.updated",
    "commitment.contested",
    "commitment.answered",
    "designation.objection",
    "designation.final",
    "member.role_granted",
    "member.role_revoked",
}


def _identifiers() -> set[str]:
    """Every user's username, e-mail, names, display name and alias."""
    found: set[str] = set()
    for user in User.objects.all():
        found |= {user.username, user.email, user.first_name, user.last_name}
        found.add(f"{user.first_name} {user.last_name}".strip())
    for display_name, alias in Profile.objects.values_list("display_name", "alias"):
        found |= {display_name, alias}
    return {value for value in found if value}


def _staff_role_granted_and_revoked() -> None:
    process = Process.objects.get(slug="cn-principles")
    secretariat = User.objects.get(username="sofia")
    chair = User.objects.get(username="layla")
    add_member(actor=secretariat, process=process, user=chair, role=Role.CHAIR)
    remove_member(
        actor=secretariat,
        membership=Membership.objects.get(process=process, user=chair, role=Role.CHAIR),
    )


@pytest.mark.django_db
def test_no_record_entry_of_the_demo_names_a_person() -> None:
    call_command("seed_demo", verbosity=0)
    _staff_role_granted_and_revoked()
    Profile.objects.filter(user__username="amina").update(alias="Nightjar")

    entries = list(RecordEntry.objects.order_by("pk").values_list("kind", "payload"))
    people = _identifiers()

    assert {kind for kind, _payload in entries} >= ABOUT_PEOPLE
    assert {"Amina Diallo", "amina", "Nightjar"} <= people  # what is looked for, looked for
    named = [
        (kind, who)
        for kind, payload in entries
        for who in sorted(people)
        if re.search(
            rf"(?<!\w){re.escape(who)}(?!\w)",
            json.dumps(payload, ensure_ascii=False),
            re.IGNORECASE,
        )
    ]
    assert named == []
    # Who is found by following a public id to the page, where the byline is the person's choice.
    payloads = dict(entries)  # the last entry of each kind
    tracking_number = payloads["contribution.submitted"]["tracking_number"]
    assert Contribution.objects.filter(tracking_number=tracking_number).exists()
    assert set(payloads["member.role_granted"]) == {"membership_id", "role"}
    assert payloads["member.role_revoked"] == {
        "membership_id": payloads["member.role_granted"]["membership_id"],
        "role": "chair",
    }
    for kind in ABOUT_PEOPLE:
        named_by = {"author", "owner", "signatory", "withdrawn_by", "answered_by", "username"}
        assert named_by.isdisjoint(payloads[kind]), kind
