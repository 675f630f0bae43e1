"""Who may read, post in, manage and publish from a caucus: approved members and facilitators."""

from polyvox.caucuses.models import Caucus, CaucusMembership, CaucusMembershipStatus, CaucusRole
from polyvox.core.permissions import Actor, is_signed_in


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
