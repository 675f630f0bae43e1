"""Who may read, post in, manage and publish from a caucus: approved members and facilitators."""

from django.utils.translation import gettext as _

from polyvox.caucuses.models import Caucus, CaucusMembership, CaucusMembershipStatus, CaucusRole
from polyvox.core.permissions import Actor, is_signed_in
from polyvox.processes.models import Process
from polyvox.processes.permissions import can_take_part, is_secretariat


def is_member(actor: Actor | None, caucus: Caucus) -> bool:
    """Approved members (facilitators included) read and write the caucus's content."""
    if not is_signed_in(actor):
        return False
    return CaucusMembership.objects.filter(
        caucus=caucus, user_id=actor.pk, status=CaucusMembershipStatus.APPROVED
    ).exists()


def is_facilitator(actor: Actor | None, caucus: Caucus) -> bool:
    """Facilitators approve members and publish the caucus's content; no one else does."""
    if not is_signed_in(actor):
        return False
    return CaucusMembership.objects.filter(
        caucus=caucus,
        user_id=actor.pk,
        status=CaucusMembershipStatus.APPROVED,
        role=CaucusRole.FACILITATOR,
    ).exists()


def may_take_part(actor: Actor | None, process: Process) -> bool:
    """Who may start a caucus or ask to join one: anyone taking part, and the secretariat."""
    return can_take_part(actor, process) or is_secretariat(actor, process)


def can_start_caucus(actor: Actor | None, process: Process) -> bool:
    """Start a caucus (and become its facilitator) while the process is open."""
    return not why_not_start(actor, process)


def why_not_start(actor: Actor | None, process: Process) -> str:
    """Empty when `actor` may start a caucus in `process` now; otherwise the reason to show."""
    if not is_signed_in(actor):
        return _("Log in to start a caucus.")
    if process.closed_at is not None:
        return _("This process is closed.")
    if not may_take_part(actor, process):
        return _("Only people taking part in this process can start a caucus.")
    return ""


def why_not_join(actor: Actor | None, caucus: Caucus) -> str:
    """Empty when `actor` may ask to join `caucus` now; otherwise the reason to show.

    A stakeholder group's caucus is open only to people whose profile declares that group."""
    if not is_signed_in(actor):
        return _("Log in to ask to join this caucus.")
    if caucus.process.closed_at is not None:
        return _("This process is closed.")
    if not may_take_part(actor, caucus.process):
        return _("Only people taking part in this process can join its caucuses.")
    declared = getattr(getattr(actor, "profile", None), "stakeholder_group", "")
    if caucus.stakeholder_group and declared != caucus.stakeholder_group:
        return _("This caucus is for %(group)s.") % {
            "group": caucus.get_stakeholder_group_display()
        }
    return ""
