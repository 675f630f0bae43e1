"""Organisation services: every rule and refusal, the events written, nothing half-written."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from polyvox.notifications.models import Notification
from polyvox.organisations.models import (
    Organisation,
    OrganisationEvent,
    Representative,
    RepresentativeRole,
    RepresentativeStatus,
)
from polyvox.organisations.selectors import organisation_family_ids
from polyvox.organisations.services.registering import edit_organisation, register_organisation
from polyvox.organisations.services.representatives import (
    decide_representative,
    make_administrator,
    request_to_represent,
    revoke_representative,
)
from polyvox.organisations.services.verification import merge_organisations, verify_organisation
from tests.factories import approve_representative, make_organisation

pytestmark = pytest.mark.django_db


def _kinds(organisation):
    return list(
        OrganisationEvent.objects.filter(organisation=organisation)
        .order_by("id")
        .values_list("kind", flat=True)
    )


def _register(actor, **fields):
    return register_organisation(
        actor=actor,
        **{"name": "Derechos Digitales", "stakeholder_group": "civil_society", **fields},
    )


def _refused(error_type, call, *args, **kwargs):
    """Run `call`, expecting `error_type`, and return its messages as one string."""
    with pytest.raises(error_type) as raised:
        call(*args, **kwargs)
    error = raised.value
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


# Registering -------------------------------------------------------------------------------------


def test_the_registrant_becomes_its_approved_administrator(participant):
    organisation = _register(
        participant,
        name="  Derechos   Digitales ",
        country="cl",
        website="https://www.derechosdigitales.org",
        description="Digital rights in Latin America.",
    )

    assert (organisation.name, organisation.slug, organisation.country) == (
        "Derechos Digitales",
        "derechos-digitales",
        "CL",
    )
    assert not organisation.is_verified
    [row] = Representative.objects.filter(organisation=organisation)
    assert (row.user, row.role, row.status) == (
        participant,
        RepresentativeRole.ADMINISTRATOR,
        RepresentativeStatus.APPROVED,
    )
    assert _kinds(organisation) == ["registered"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": "   "}, "name", "Give the organisation's name."),
        ({"name": "x" * 201}, "name", "at most 200 characters"),
        ({"stakeholder_group": "lobbyists"}, "stakeholder_group", "stakeholder groups"),
        ({"country": "XX"}, "country", "UN M49"),
        ({"website": "javascript:alert(1)"}, "website", "http:// or https://"),
        ({"website": "ftp://example.org"}, "website", "http:// or https://"),
        ({"website": "not a url"}, "website", "http:// or https://"),
    ],
)
def test_bad_details_are_refused_with_nothing_written(participant, fields, field, message):
    with pytest.raises(ValidationError) as raised:
        _register(participant, **fields)

    assert message in " ".join(raised.value.message_dict[field])
    assert Organisation.objects.count() == 0
    assert Representative.objects.count() == 0
    assert OrganisationEvent.objects.count() == 0


def test_slugs_are_unique_and_never_empty(participant, other_participant):
    first = _register(participant, name="Access Now")
    second = _register(other_participant, name="Access Now!", description="Another one")
    arabic = _register(participant, name="مؤسسة")
    reserved = _register(participant, name="Register")

    assert (first.slug, second.slug) == ("access-now", "access-now-2")
    assert arabic.slug == "organisation"
    assert reserved.slug == "register-2"


def test_an_exact_duplicate_name_is_refused_pointing_to_the_existing_one(
    participant, other_participant
):
    existing = _register(participant, name="Access Now")

    message = _refused(ValidationError, _register, other_participant, name="  access   NOW ")

    assert "is already registered" in message
    assert "ask to represent it" in message
    assert existing.get_absolute_url() in message
    assert Organisation.objects.count() == 1


def test_a_merged_duplicates_name_may_be_registered_again(participant, staff):
    duplicate = _register(participant, name="Access Now")
    survivor = make_organisation("Access Now International")
    merge_organisations(actor=staff, duplicate=duplicate, into=survivor, reason="Same body.")

    again = _register(participant, name="Access Now")

    assert again.slug == "access-now-2"


def test_visitors_cannot_register():
    with pytest.raises(PermissionDenied):
        _register(AnonymousUser())


# Editing -----------------------------------------------------------------------------------------


def test_administrators_edit_details_and_the_history_says_which(organisation, admin_user):
    edit_organisation(
        actor=admin_user, organisation=organisation, website="https://rhizomatica.org", country="mx"
    )

    organisation.refresh_from_db()
    assert (organisation.website, organisation.slug) == ("https://rhizomatica.org", "rhizomatica")
    event = OrganisationEvent.objects.get(organisation=organisation, kind="edited")
    assert event.detail == {"fields": ["website"]}


def test_an_edit_that_changes_nothing_writes_no_event(organisation, admin_user):
    edit_organisation(actor=admin_user, organisation=organisation, name=" Rhizomatica ")

    assert not OrganisationEvent.objects.filter(kind="edited").exists()


def test_others_cannot_edit_but_staff_can(organisation, participant, staff):
    _refused(
        PermissionDenied,
        edit_organisation,
        actor=participant,
        organisation=organisation,
        name="Mine now",
    )
    edit_organisation(actor=staff, organisation=organisation, description="Community networks.")

    organisation.refresh_from_db()
    assert (organisation.name, organisation.description) == ("Rhizomatica", "Community networks.")


def test_an_edit_cannot_take_another_organisations_name(organisation, admin_user):
    make_organisation("Access Now")

    message = _refused(
        ValidationError, edit_organisation, actor=admin_user, organisation=organisation,
        name="access now",
    )  # fmt: skip

    assert "already registered" in message
    organisation.refresh_from_db()
    assert organisation.name == "Rhizomatica"


def test_an_edit_refuses_unknown_fields(organisation, admin_user):
    with pytest.raises(ValidationError) as raised:
        edit_organisation(actor=admin_user, organisation=organisation, verified_at="now")

    assert "verified_at" in raised.value.message_dict


# Representatives ---------------------------------------------------------------------------------


def test_a_request_waits_for_the_administrators_who_are_notified(
    organisation, admin_user, participant
):
    row = request_to_represent(actor=participant, organisation=organisation, message="I'm staff.")

    assert (row.status, row.role) == (RepresentativeStatus.REQUESTED, "representative")
    notice = Notification.objects.get(recipient=admin_user)
    assert "asks to represent Rhizomatica" in notice.subject
    assert _kinds(organisation) == []  # a request is not public


def test_a_request_to_an_organisation_without_administrators_goes_to_the_secretariat(
    participant, staff
):
    orphan = make_organisation("Orphaned")

    request_to_represent(actor=participant, organisation=orphan)

    assert Notification.objects.filter(recipient=staff).count() == 1


def test_asking_twice_is_refused(organisation, admin_user, participant):
    request_to_represent(actor=participant, organisation=organisation)

    waiting = _refused(
        ValidationError, request_to_represent, actor=participant, organisation=organisation
    )
    already = _refused(
        ValidationError, request_to_represent, actor=admin_user, organisation=organisation
    )

    assert "Your request to represent Rhizomatica is waiting" in waiting
    assert "You already represent Rhizomatica" in already
    assert Representative.objects.filter(organisation=organisation).count() == 2


def test_asking_a_merged_organisation_or_as_a_visitor_is_refused(organisation, participant, staff):
    merge_organisations(
        actor=staff, duplicate=organisation, into=make_organisation("Other"), reason="Same."
    )

    message = _refused(
        ValidationError, request_to_represent, actor=participant, organisation=organisation
    )

    assert "merged" in message
    with pytest.raises(PermissionDenied):
        request_to_represent(actor=AnonymousUser(), organisation=organisation)
    assert not Representative.objects.filter(user=participant).exists()


def test_approving_a_request_is_public_and_notifies_the_requester(
    organisation, admin_user, participant
):
    row = request_to_represent(actor=participant, organisation=organisation)

    decide_representative(actor=admin_user, representative=row, approve=True)

    row.refresh_from_db()
    assert (row.status, row.decided_by) == (RepresentativeStatus.APPROVED, admin_user)
    event = OrganisationEvent.objects.get(kind="representative_approved")
    assert event.detail == {"name": "Amina", "role": "representative"}
    assert Notification.objects.filter(
        recipient=participant, subject="You now represent Rhizomatica"
    ).exists()


def test_refusing_a_request_is_not_public(organisation, admin_user, participant):
    row = request_to_represent(actor=participant, organisation=organisation)

    decide_representative(actor=admin_user, representative=row, approve=False, reason="Unknown.")

    row.refresh_from_db()
    assert (row.status, row.reason) == (RepresentativeStatus.REFUSED, "Unknown.")
    assert _kinds(organisation) == []
    assert Notification.objects.get(recipient=participant).body == "Unknown."
    # A refused person may ask again: a new row, the old one kept.
    request_to_represent(actor=participant, organisation=organisation)
    assert Representative.objects.filter(organisation=organisation, user=participant).count() == 2


def test_only_administrators_or_staff_decide_and_only_open_requests(
    organisation, admin_user, participant, other_participant, staff
):
    row = request_to_represent(actor=participant, organisation=organisation)
    approve_representative(organisation, other_participant)  # a plain representative

    _refused(
        PermissionDenied, decide_representative,
        actor=other_participant, representative=row, approve=True,
    )  # fmt: skip
    _refused(
        PermissionDenied, decide_representative, actor=participant, representative=row, approve=True
    )
    decide_representative(actor=staff, representative=row, approve=True)
    again = _refused(
        ValidationError, decide_representative, actor=admin_user, representative=row, approve=False
    )

    assert "already decided" in again
    row.refresh_from_db()
    assert row.status == RepresentativeStatus.APPROVED


def test_an_administrator_revokes_with_a_reason(organisation, admin_user, participant):
    row = approve_representative(organisation, participant)

    missing = _refused(
        ValidationError, revoke_representative, actor=admin_user, representative=row, reason=" "
    )
    revoke_representative(actor=admin_user, representative=row, reason="Left the organisation.")

    assert "Give the reason" in missing
    row.refresh_from_db()
    assert (row.status, row.reason) == (RepresentativeStatus.REVOKED, "Left the organisation.")
    event = OrganisationEvent.objects.get(kind="representative_revoked")
    assert event.detail == {"name": "Amina", "role": "representative", "stepped_down": False}
    assert "Left the organisation." not in str(event.detail)  # the reason goes to the person only
    assert Notification.objects.get(recipient=participant).body == "Left the organisation."


def test_a_person_steps_down_without_a_reason(organisation, participant):
    row = approve_representative(organisation, participant)

    revoke_representative(actor=participant, representative=row)

    row.refresh_from_db()
    assert row.status == RepresentativeStatus.REVOKED
    assert OrganisationEvent.objects.get(kind="representative_revoked").detail["stepped_down"]


def test_a_person_withdraws_their_own_request_without_a_public_event(organisation, participant):
    row = request_to_represent(actor=participant, organisation=organisation)

    revoke_representative(actor=participant, representative=row)

    row.refresh_from_db()
    assert row.status == RepresentativeStatus.REVOKED
    assert _kinds(organisation) == []


def test_an_administrator_refuses_rather_than_revokes_a_request(
    organisation, admin_user, participant
):
    row = request_to_represent(actor=participant, organisation=organisation)

    message = _refused(
        ValidationError, revoke_representative, actor=admin_user, representative=row, reason="No."
    )

    assert "Refuse a request" in message


def test_others_cannot_revoke(organisation, admin_user, participant, other_participant):
    row = approve_representative(organisation, participant)
    approve_representative(organisation, other_participant)

    _refused(
        PermissionDenied, revoke_representative,
        actor=other_participant, representative=row, reason="Rivalry.",
    )  # fmt: skip

    row.refresh_from_db()
    assert row.status == RepresentativeStatus.APPROVED


def test_the_last_administrator_cannot_leave_the_organisation_orphaned(
    organisation, admin_user, staff
):
    [row] = Representative.objects.filter(organisation=organisation)

    message = _refused(ValidationError, revoke_representative, actor=admin_user, representative=row)

    assert "without an administrator" in message
    row.refresh_from_db()
    assert row.status == RepresentativeStatus.APPROVED
    # Staff may (e.g. the administrator left and the secretariat steps in).
    revoke_representative(actor=staff, representative=row, reason="Left the organisation.")
    row.refresh_from_db()
    assert row.status == RepresentativeStatus.REVOKED


def test_an_administrator_may_leave_once_there_is_another(organisation, admin_user, participant):
    newcomer = approve_representative(organisation, participant)
    make_administrator(actor=admin_user, representative=newcomer)
    [own] = Representative.objects.filter(organisation=organisation, user=admin_user)

    revoke_representative(actor=admin_user, representative=own)

    newcomer.refresh_from_db()
    assert newcomer.role == RepresentativeRole.ADMINISTRATOR
    assert _kinds(organisation) == ["representative_approved", "representative_revoked"]


def test_revoking_twice_is_refused(organisation, admin_user, participant):
    row = approve_representative(organisation, participant)
    revoke_representative(actor=admin_user, representative=row, reason="Gone.")

    message = _refused(
        ValidationError, revoke_representative, actor=admin_user, representative=row, reason="x"
    )

    assert "no longer represents" in message


def test_make_administrator_rules(organisation, admin_user, participant, other_participant):
    representative = approve_representative(organisation, participant)
    requested = request_to_represent(actor=other_participant, organisation=organisation)

    _refused(PermissionDenied, make_administrator, actor=participant, representative=representative)
    pending = _refused(
        ValidationError, make_administrator, actor=admin_user, representative=requested
    )
    make_administrator(actor=admin_user, representative=representative)
    twice = _refused(
        ValidationError, make_administrator, actor=admin_user, representative=representative
    )

    assert "Only an approved representative" in pending
    assert "already an administrator" in twice
    assert Notification.objects.filter(
        recipient=participant, subject="You are now an administrator of Rhizomatica"
    ).exists()


# Verification ------------------------------------------------------------------------------------


def test_staff_verify_and_withdraw_verification(organisation, admin_user, staff):
    verify_organisation(actor=staff, organisation=organisation, verified=True)
    organisation.refresh_from_db()
    assert organisation.is_verified
    assert organisation.verified_by == staff

    twice = _refused(
        ValidationError, verify_organisation, actor=staff, organisation=organisation, verified=True
    )
    verify_organisation(actor=staff, organisation=organisation, verified=False)

    organisation.refresh_from_db()
    assert "already verified" in twice
    assert not organisation.is_verified
    assert _kinds(organisation) == ["verified", "unverified"]
    assert Notification.objects.filter(recipient=admin_user).count() == 2


def test_only_staff_verify(organisation, admin_user):
    message = _refused(
        PermissionDenied, verify_organisation,
        actor=admin_user, organisation=organisation, verified=True,
    )  # fmt: skip

    assert "secretariat" in message
    organisation.refresh_from_db()
    assert not organisation.is_verified


# Merging -----------------------------------------------------------------------------------------


def test_merging_moves_representatives_and_requests_and_keeps_history(
    admin_user, participant, other_participant, staff
):
    survivor = make_organisation("Association for Progressive Communications", admin=admin_user)
    duplicate = make_organisation("APC", admin=participant)
    both = approve_representative(duplicate, admin_user)  # already open on the survivor
    request_to_represent(actor=other_participant, organisation=duplicate, message="Hello")

    result = merge_organisations(
        actor=staff, duplicate=duplicate, into=survivor, reason="Same organisation."
    )

    assert result == survivor
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert duplicate.merged_at is not None
    on_survivor = {
        (r.user.username, r.role, r.status)
        for r in Representative.objects.filter(organisation=survivor)
    }
    assert on_survivor == {
        ("rosa", "administrator", "approved"),
        ("amina", "administrator", "approved"),
        ("kenji", "representative", "requested"),
    }
    assert Representative.objects.get(organisation=survivor, user=other_participant).message == (
        "Hello"
    )
    closed = Representative.objects.filter(organisation=duplicate)
    assert {r.status for r in closed} == {"revoked"}
    assert {r.reason for r in closed} == {"Merged into Association for Progressive Communications."}
    assert both.pk in {r.pk for r in closed}
    [on_into] = OrganisationEvent.objects.filter(organisation=survivor, kind="merged")
    assert on_into.detail == {
        "duplicate": "APC",
        "duplicate_slug": "apc",
        "reason": "Same organisation.",
    }
    assert OrganisationEvent.objects.filter(organisation=duplicate, kind="merged").exists()
    assert Organisation.objects.active().count() == 1


def test_the_family_of_an_organisation_includes_merges_transitively(staff):
    a, b, c, d = (make_organisation(name) for name in ("A", "B", "C", "D"))
    merge_organisations(actor=staff, duplicate=c, into=b, reason="Same.")
    merge_organisations(actor=staff, duplicate=b, into=a, reason="Same.")

    assert sorted(organisation_family_ids(a)) == sorted([a.pk, b.pk, c.pk])
    assert organisation_family_ids(d) == [d.pk]


@pytest.mark.parametrize("case", ["itself", "merged duplicate", "merged target", "no reason"])
def test_merge_refusals_write_nothing(staff, case):
    a, b, c = (make_organisation(name) for name in ("A", "B", "C"))
    merge_organisations(actor=staff, duplicate=c, into=b, reason="Same.")
    before = (OrganisationEvent.objects.count(), Representative.objects.count())
    duplicate, into, reason = {
        "itself": (a, a, "Same."),
        "merged duplicate": (c, a, "Same."),
        "merged target": (a, c, "Same."),
        "no reason": (a, b, "  "),
    }[case]

    with pytest.raises(ValidationError):
        merge_organisations(actor=staff, duplicate=duplicate, into=into, reason=reason)

    a.refresh_from_db()
    assert a.merged_into is None
    assert (OrganisationEvent.objects.count(), Representative.objects.count()) == before


def test_only_staff_merge(organisation, admin_user):
    other = make_organisation("Other", admin=admin_user)

    with pytest.raises(PermissionDenied):
        merge_organisations(actor=admin_user, duplicate=other, into=organisation, reason="Mine.")

    other.refresh_from_db()
    assert other.merged_into is None


def test_a_merged_organisation_cannot_be_edited_or_verified(organisation, admin_user, staff):
    merge_organisations(
        actor=staff, duplicate=organisation, into=make_organisation("Other"), reason="Same."
    )
    organisation.refresh_from_db()

    _refused(
        PermissionDenied, edit_organisation,
        actor=admin_user, organisation=organisation, name="Back",
    )  # fmt: skip
    message = _refused(
        ValidationError, verify_organisation, actor=staff, organisation=organisation, verified=True
    )

    assert "merged" in message


def test_a_failing_notification_leaves_nothing_half_written(organisation, participant, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("mail queue down")

    monkeypatch.setattr("polyvox.organisations.services.representatives.notify", broken)

    with pytest.raises(RuntimeError):
        request_to_represent(actor=participant, organisation=organisation)

    assert not Representative.objects.filter(user=participant).exists()
