"""Start a caucus, ask to join, facilitators' decisions, leaving, removal, appointing facilitators."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.caucuses.models import (
    OPEN_MEMBERSHIP_STATUSES,
    Caucus,
    CaucusMembership,
    CaucusMembershipStatus,
    CaucusRole,
)
from polyvox.caucuses.permissions import is_facilitator, why_not_join, why_not_start
from polyvox.caucuses.services.rules import (
    MAX_MESSAGE_CHARS,
    check_length,
    check_not_last_facilitator,
    clean_text,
    facilitators,
    free_slug,
    one_line,
    require_open,
)
from polyvox.core.permissions import is_signed_in, require
from polyvox.notifications.services import notify
from polyvox.participants.models import StakeholderGroup, User
from polyvox.processes.models import Process
from polyvox.record.services import append_entry

# Caucuses and membership -------------------------------------------------------------------------


@transaction.atomic
def create_caucus(
    *, actor: User, process: Process, name: str, purpose: str = "", stakeholder_group: str = ""
) -> Caucus:
    """Start a caucus; its creator becomes its first facilitator. Name and purpose are public."""
    refusal = why_not_start(actor, process)
    require(not refusal, refusal)
    name, purpose = one_line(name), clean_text(purpose)
    if not name:
        raise ValidationError({"name": _("Give the caucus a name.")})
    check_length("name", name, 120)
    check_length("purpose", purpose, MAX_MESSAGE_CHARS)
    if stakeholder_group and stakeholder_group not in StakeholderGroup.values:
        raise ValidationError({"stakeholder_group": _("Choose a stakeholder group from the list.")})
    if Caucus.objects.filter(process=process, name__iexact=name).exists():
        raise ValidationError({"name": _("This process already has a caucus with this name.")})
    try:
        with transaction.atomic():
            caucus = Caucus.objects.create(
                process=process,
                name=name,
                slug=free_slug(process, name),
                purpose=purpose,
                stakeholder_group=stakeholder_group,
                created_by_id=actor.pk,
            )
    except IntegrityError:  # another caucus took this address at the same moment
        raise ValidationError(
            {"name": _("Another caucus took this name a moment ago; send the form again.")}
        ) from None
    CaucusMembership.objects.create(
        caucus=caucus,
        user_id=actor.pk,
        role=CaucusRole.FACILITATOR,
        status=CaucusMembershipStatus.APPROVED,
        decided_at=timezone.now(),
        decided_by_id=actor.pk,
    )
    append_entry(
        process=process,
        kind="caucus_created",
        payload={
            "caucus": caucus.slug,
            "name": caucus.name,
            "purpose": caucus.purpose,
            "stakeholder_group": caucus.stakeholder_group,
        },
    )
    return caucus


@transaction.atomic
def request_membership(*, actor: User, caucus: Caucus, message: str = "") -> CaucusMembership:
    """Ask to join; the facilitators (only they) are told, and decide."""
    refusal = why_not_join(actor, caucus)
    require(not refusal, refusal)
    message = clean_text(message)
    check_length("message", message, MAX_MESSAGE_CHARS)
    existing = CaucusMembership.objects.filter(
        caucus=caucus, user_id=actor.pk, status__in=OPEN_MEMBERSHIP_STATUSES
    ).first()
    if existing is not None:
        raise ValidationError({"message": _already(existing)})
    try:
        with transaction.atomic():
            membership = CaucusMembership.objects.create(
                caucus=caucus, user_id=actor.pk, message=message
            )
    except IntegrityError:  # a second request sent at the same moment
        raise ValidationError(
            {"message": _("You have already asked to join; the facilitators will decide.")}
        ) from None
    body = _("%(person)s asks to join the caucus “%(caucus)s”.") % {
        "person": str(actor),
        "caucus": caucus.name,
    }
    if message:
        body += "\n\n" + message
    notify(
        recipients=facilitators(caucus),
        subject=_("Request to join %(caucus)s") % {"caucus": caucus.name},
        body=body,
        url=caucus.get_absolute_url(),
    )
    return membership


def _already(membership: CaucusMembership) -> str:
    if membership.status == CaucusMembershipStatus.APPROVED:
        return _("You are already a member of this caucus.")
    return _("You have already asked to join; the facilitators will decide.")


@transaction.atomic
def decide_membership(*, actor: User, membership: CaucusMembership, approve: bool) -> None:
    """A facilitator approves or refuses a request; the requester is told."""
    caucus = membership.caucus
    require(
        is_facilitator(actor, caucus),
        _("Only the caucus's facilitators decide who joins it."),
    )
    require_open(caucus.process)
    row = CaucusMembership.objects.select_for_update().get(pk=membership.pk)
    if row.status != CaucusMembershipStatus.REQUESTED:
        raise ValidationError({"membership": _("This request has already been decided.")})
    row.status = CaucusMembershipStatus.APPROVED if approve else CaucusMembershipStatus.REFUSED
    row.decided_at = timezone.now()
    row.decided_by_id = actor.pk
    row.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    membership.status, membership.decided_at = row.status, row.decided_at
    subject = (
        _("You joined the caucus %(caucus)s") if approve else _("Your request to join %(caucus)s")
    ) % {"caucus": caucus.name}
    body = (
        _("The facilitators approved your request to join the caucus “%(caucus)s”.")
        if approve
        else _("The facilitators did not approve your request to join the caucus “%(caucus)s”.")
    ) % {"caucus": caucus.name}
    notify(recipients=[row.user], subject=subject, body=body, url=caucus.get_absolute_url())


@transaction.atomic
def leave_caucus(*, actor: User, caucus: Caucus) -> CaucusMembership:
    """Leave (or withdraw a pending request); the last facilitator appoints another first."""
    require(is_signed_in(actor), _("Log in to take part."))
    require_open(caucus.process)
    membership = (
        CaucusMembership.objects.select_for_update()
        .filter(caucus=caucus, user_id=actor.pk, status__in=OPEN_MEMBERSHIP_STATUSES)
        .first()
    )
    if membership is None:
        raise ValidationError({"membership": _("You are not a member of this caucus.")})
    check_not_last_facilitator(
        membership,
        _("You are its last facilitator: appoint another facilitator before you leave."),
    )
    membership.status = CaucusMembershipStatus.LEFT
    membership.save(update_fields=["status", "updated_at"])
    return membership


@transaction.atomic
def remove_member(*, actor: User, membership: CaucusMembership) -> CaucusMembership:
    """A facilitator removes a member (history kept); the member is told."""
    caucus = membership.caucus
    require(is_facilitator(actor, caucus), _("Only the caucus's facilitators remove members."))
    require_open(caucus.process)
    row = CaucusMembership.objects.select_for_update().get(pk=membership.pk)
    if row.status != CaucusMembershipStatus.APPROVED:
        raise ValidationError({"membership": _("This person is not a member of this caucus.")})
    check_not_last_facilitator(
        row, _("This is its last facilitator: appoint another facilitator first.")
    )
    row.status = CaucusMembershipStatus.REMOVED
    row.save(update_fields=["status", "updated_at"])
    membership.status = row.status
    if row.user_id != actor.pk:
        notify(
            recipients=[row.user],
            subject=_("You were removed from the caucus %(caucus)s") % {"caucus": caucus.name},
            body=_("A facilitator removed you from the caucus “%(caucus)s”.")
            % {"caucus": caucus.name},
            url=caucus.get_absolute_url(),
        )
    return row


@transaction.atomic
def appoint_facilitator(*, actor: User, membership: CaucusMembership) -> CaucusMembership:
    """A facilitator makes another member a facilitator too."""
    caucus = membership.caucus
    require(
        is_facilitator(actor, caucus), _("Only the caucus's facilitators appoint facilitators.")
    )
    require_open(caucus.process)
    row = CaucusMembership.objects.select_for_update().get(pk=membership.pk)
    if row.status != CaucusMembershipStatus.APPROVED:
        raise ValidationError({"membership": _("Only members can be appointed facilitators.")})
    if row.role == CaucusRole.FACILITATOR:
        raise ValidationError({"membership": _("This member is already a facilitator.")})
    row.role = CaucusRole.FACILITATOR
    row.save(update_fields=["role", "updated_at"])
    membership.role = row.role
    return row
