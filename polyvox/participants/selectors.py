"""Reads about participants. Anything that could expose private data takes the viewer.

Privacy rules:
- Public pages, exports and API answers read a participant only through `public_profile`, whose
  result carries public fields only: never the e-mail address, never gender.
- Gender leaves the database only through `gender_aggregates`, with small cells merged.
- Statements of interest are read through `statements_of_interest_for`, which checks the viewer.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from polyvox.core.permissions import Actor, require
from polyvox.participants.models import Profile, StatementOfInterest, User
from polyvox.participants.permissions import can_see_statement_of_interest
from polyvox.participants.regions import country_name, region_name, region_of

# Gender cells with fewer people than this are merged, so no small group can be singled out.
SMALL_CELL = 5
OTHER_OR_NOT_SHOWN = "other / not shown"
NOT_STATED = "not stated"


@dataclass(frozen=True)
class PublicProfile:
    """What anyone may see about a participant. Adding a field here makes it public."""

    username: str
    display_name: str
    stakeholder_group: str
    stakeholder_group_label: str
    subgroup: str
    organisation: str
    country_code: str
    country_name: str
    region: str
    sub_region: str
    global_south: bool | None


def public_profile(*, viewer: Actor | None, user: User) -> PublicProfile:
    """The public face of `user`, the same for every viewer (pseudonyms will hook in here)."""
    profile = getattr(user, "profile", None) or Profile(user=user, display_name=user.username)
    region = region_of(profile.country)
    return PublicProfile(
        username=user.username,
        display_name=profile.display_name or user.username,
        stakeholder_group=profile.stakeholder_group,
        stakeholder_group_label=str(profile.get_stakeholder_group_display()),
        subgroup=profile.subgroup,
        organisation=profile.organisation,
        country_code=profile.country if region else "",
        country_name=country_name(profile.country),
        # Names in the page's language (CLDR); the data keep the M49 English names.
        region=region_name(region.region) if region else "",
        sub_region=region_name(region.sub_region) if region else "",
        global_south=region.global_south if region else None,
    )


def has_statement_of_interest(user: AbstractBaseUser) -> bool:
    """Whether the participant has declared their interests at least once."""
    return StatementOfInterest.objects.filter(user_id=user.pk).exists()


def statements_of_interest_for(
    *, viewer: Actor | None, user: User
) -> QuerySet[StatementOfInterest]:
    """Every revision, newest first, for the person themself."""
    require(
        can_see_statement_of_interest(viewer, user),
        _("Only the participant and the secretariat of the process may see this statement."),
    )
    return statement_of_interest_history(user)


def statement_of_interest_history(user: User) -> QuerySet[StatementOfInterest]:
    """Every revision, newest first, unchecked: callers decide who may read it."""
    return StatementOfInterest.objects.filter(user=user).order_by("-declared_at", "-id")


def gender_aggregates(profiles: Iterable[Profile]) -> dict[str, int]:
    """Count self-described genders; cells under SMALL_CELL merge into "other / not shown".

    Genders are compared case- and space-insensitively; an empty value counts as "not stated".
    """
    if isinstance(profiles, QuerySet):
        values: Iterable[str] = profiles.values_list("gender", flat=True)
    else:
        values = (profile.gender for profile in profiles)
    counts = Counter(" ".join((value or "").split()).casefold() or NOT_STATED for value in values)
    result: dict[str, int] = {}
    merged = 0
    for label, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        if count < SMALL_CELL or label == OTHER_OR_NOT_SHOWN:
            merged += count
        else:
            result[label] = count
    if merged:
        result[OTHER_OR_NOT_SHOWN] = merged
    return result


def active_participant(username: str) -> User:
    """The active account with this username (profile loaded), or 404."""
    person = (
        User.objects.select_related("profile").filter(username=username, is_active=True).first()
    )
    if person is None:
        raise Http404(_("No participant with this username."))
    return person


def profile_to_take_part(user: User) -> Profile:
    """The profile whose display name goes on what `user` publishes (the byline snapshot of an
    input, a signature, an objection, a commitment); refused until they have completed it."""
    profile = Profile.objects.filter(user_id=user.pk).first()
    if profile is None or not profile.display_name:
        raise ValidationError(_("Complete your profile before taking part."))
    return profile
