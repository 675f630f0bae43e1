"""What caucus writes share: limits, text cleaning, an open process, who to notify."""

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from polyvox.caucuses.models import (
    Caucus,
    CaucusMembership,
    CaucusMembershipStatus,
    CaucusRole,
)
from polyvox.core.permissions import require
from polyvox.participants.models import User
from polyvox.processes.models import Process

MAX_MESSAGE_CHARS = 2000
MAX_POST_CHARS = 20000
MAX_DRAFT_CHARS = 100000
SLUG_LENGTH = 70
RESERVED_SLUGS = {"new"}  # /p/<slug>/caucuses/new/ is the form to start one


def require_open(process: Process) -> None:
    require(process.closed_at is None, _("This process is closed."))


def clean_text(value: str | None) -> str:
    return (value or "").strip()


def one_line(value: str | None) -> str:
    return " ".join((value or "").split())


def check_length(field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise ValidationError(
            {
                field: _("Keep it under %(limit)d characters (this has %(count)d).")
                % {"limit": limit, "count": len(value)}
            }
        )


def free_slug(process: Process, name: str) -> str:
    """A slug for `name` that no other caucus of `process` has (suffixed -2, -3… if taken)."""
    base = slugify(name)[:SLUG_LENGTH].strip("-") or "caucus"
    taken = set(
        Caucus.objects.filter(process=process, slug__startswith=base).values_list("slug", flat=True)
    )
    taken |= RESERVED_SLUGS
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def facilitators(caucus: Caucus) -> list[User]:
    return [
        m.user
        for m in CaucusMembership.objects.filter(
            caucus=caucus, status=CaucusMembershipStatus.APPROVED, role=CaucusRole.FACILITATOR
        ).select_related("user__profile")
    ]


def other_members(caucus: Caucus, actor: User) -> list[User]:
    return [
        m.user
        for m in CaucusMembership.objects.filter(
            caucus=caucus, status=CaucusMembershipStatus.APPROVED
        )
        .exclude(user_id=actor.pk)
        .select_related("user")
    ]


def check_not_last_facilitator(membership: CaucusMembership, message: str) -> None:
    """A caucus with members keeps at least one facilitator: they approve and publish."""
    if membership.role != CaucusRole.FACILITATOR:
        return
    approved = CaucusMembership.objects.select_for_update().filter(
        caucus_id=membership.caucus_id, status=CaucusMembershipStatus.APPROVED
    )
    rows = list(approved.exclude(pk=membership.pk).values_list("role", flat=True))
    if rows and CaucusRole.FACILITATOR not in rows:
        raise ValidationError({"membership": message})
