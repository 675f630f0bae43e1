"""Writes for participants: register, declare a profile, declare interests.

Nothing here is process-scoped, so nothing is appended to a process's public record: a profile
and a statement of interest are read through selectors that take the viewer.
"""

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.core.permissions import is_signed_in, require
from polyvox.core.text import normalize_whitespace
from polyvox.core.timezones import known_timezones
from polyvox.participants.languages import is_valid_language_code, normalize_language_code
from polyvox.participants.models import Profile, StakeholderGroup, StatementOfInterest, User
from polyvox.participants.permissions import can_edit_profile
from polyvox.participants.regions import is_known_country

# The Profile fields a participant may declare with update_profile.
PROFILE_FIELDS = frozenset(
    {
        "display_name", "stakeholder_group", "subgroup", "organisation",
        "country", "languages", "interests", "gender", "timezone",
    }
)  # fmt: skip


@transaction.atomic
def register_participant(
    *,
    username: str,
    email: str,
    password: str | None,
    display_name: str,
    stakeholder_group: str,
    email_verified: bool = False,
    **profile_fields: Any,
) -> User:
    """Create an account and its Profile. Usernames and e-mails are unique, ignoring case.

    `password=None` creates an account that cannot log in until a password is set (imported or
    placeholder participants). `email_verified=True` is for accounts whose address is known good
    (the demo, a secretariat's import); everyone else confirms it by the link we send."""
    username = username.strip()
    email = User.objects.normalize_email(email.strip())
    errors: dict[str, list[str]] = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is taken. Please choose another.")]
    if email and User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("An account with this e-mail address already exists. Log in instead.")]
    user = User(
        username=username, email=email, email_verified_at=timezone.now() if email_verified else None
    )
    try:
        user.full_clean(exclude=["password"], validate_unique=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    try:
        if password is not None:
            validate_password(password, user=user)
    except ValidationError as error:
        errors["password"] = error.messages
    try:
        fields = _validated_profile_fields(
            {"display_name": display_name, "stakeholder_group": stakeholder_group, **profile_fields}
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    profile = Profile(user=user, **fields)
    profile.full_clean()
    profile.save()
    return user


@transaction.atomic
def update_profile(*, actor: User, user: User, **fields: Any) -> Profile:
    """Change what a participant declares about themself; only they may do it."""
    require(can_edit_profile(actor, user), _("Only the participant can change their own profile."))
    profile = Profile.objects.select_for_update().filter(user=user).first() or Profile(
        user=user, display_name=user.username
    )
    current = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    cleaned = _validated_profile_fields({**current, **fields})
    for name, value in cleaned.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    user.profile = profile  # callers holding `user` see the new values
    return profile


@transaction.atomic
def declare_interests(
    *, actor: User, affiliations: str, funding: str = "", interests: str = ""
) -> StatementOfInterest:
    """Add a new revision of the actor's statement of interest; earlier ones are kept."""
    require(is_signed_in(actor), _("Log in to declare your interests."))
    statement = StatementOfInterest(
        user=actor,
        affiliations=normalize_whitespace(affiliations),
        funding=normalize_whitespace(funding),
        interests=normalize_whitespace(interests),
    )
    if not statement.affiliations:
        raise ValidationError({"affiliations": _("List your affiliations, or write “none”.")})
    statement.full_clean()
    statement.save()
    return statement


def _validated_profile_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Normalise and check declared profile fields; errors are keyed by field name."""
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise TypeError(f"Unknown profile fields: {', '.join(sorted(unknown))}")
    cleaned = dict(fields)
    errors: dict[str, str] = {}
    for name in ("display_name", "subgroup", "organisation", "gender", "timezone"):
        if name in cleaned:
            cleaned[name] = " ".join(str(cleaned[name] or "").split())
    if "interests" in cleaned:
        cleaned["interests"] = normalize_whitespace(str(cleaned["interests"] or ""))
    if "display_name" in cleaned and not cleaned["display_name"]:
        errors["display_name"] = _("Enter the name others will see.")
    if (
        "stakeholder_group" in cleaned
        and cleaned["stakeholder_group"] not in StakeholderGroup.values
    ):
        errors["stakeholder_group"] = _("Choose one of the listed stakeholder groups.")
    if "country" in cleaned:
        cleaned["country"] = str(cleaned["country"] or "").strip().upper()
        if cleaned["country"] and not is_known_country(cleaned["country"]):
            errors["country"] = _("Choose a country or area from the UN M49 list.")
    if "languages" in cleaned:
        codes = [normalize_language_code(str(code)) for code in cleaned["languages"] or []]
        bad = [code for code in codes if not is_valid_language_code(code)]
        if bad:
            errors["languages"] = _(
                "Not a language code: %(codes)s. Use codes such as “sw” or “pt-br”."
            ) % {"codes": ", ".join(bad)}
        cleaned["languages"] = list(dict.fromkeys(codes))
    if cleaned.get("timezone") and cleaned["timezone"] not in known_timezones():
        errors["timezone"] = _("Choose a time zone from the list.")
    if errors:
        raise ValidationError(errors)
    return cleaned
