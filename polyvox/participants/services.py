"""Writes for participants: register, confirm the e-mail address, consent to the terms, declare a
profile, declare interests.

Nothing here is process-scoped, so nothing is appended to a process's public record: a profile
and a statement of interest are read through selectors that take the viewer.
"""

import hashlib
import logging
import smtplib
from collections.abc import Iterable
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.core.permissions import is_signed_in, require
from polyvox.core.text import normalize_whitespace, refuse_invisible_only, refuse_unstorable
from polyvox.core.timezones import known_timezones
from polyvox.participants.aliases import clean_alias
from polyvox.participants.languages import is_valid_language_code, normalize_language_code
from polyvox.participants.models import (
    Consent,
    ConsentDocument,
    Profile,
    StakeholderGroup,
    StatementOfInterest,
    User,
)
from polyvox.participants.permissions import can_edit_profile
from polyvox.participants.regions import is_known_country

# The Profile fields a participant may declare with update_profile.
PROFILE_FIELDS = frozenset(
    {
        "display_name", "stakeholder_group", "subgroup", "organisation",
        "country", "languages", "interests", "gender", "timezone", "alias",
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
    record_consent: bool = False,
    **profile_fields: Any,
) -> User:
    """Create an account and its Profile. Usernames and e-mails are unique, ignoring case.

    `password=None` creates an account that cannot log in until a password is set (imported or
    placeholder participants). `email_verified=True` is for accounts whose address is known good
    (the demo, a secretariat's import); everyone else confirms it by the link we send
    (`send_verification`). `record_consent=True` records that the person accepted the current
    terms of use and privacy notice (the sign-up form asks; the demo accepts for its people)."""
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
    if record_consent:
        accept_consents(user, ConsentDocument.values)
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
    if cleaned.get("alias", "") != profile.alias:  # checked when it changes (docs/identity.md)
        cleaned["alias"] = clean_alias(
            user=user, alias=cleaned["alias"], display_name=cleaned["display_name"]
        )
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
    for field, value in (
        ("affiliations", affiliations),
        ("funding", funding),
        ("interests", interests),
    ):
        refuse_unstorable(value or "", field)
        refuse_invisible_only((value or "").strip(), field)
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
    for name, value in cleaned.items():
        if isinstance(value, str):
            try:
                refuse_unstorable(value, name)
                refuse_invisible_only(value.strip(), name)
            except ValidationError as error:
                errors.update({key: msgs[0] for key, msgs in error.message_dict.items()})
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


# E-mail verification ------------------------------------------------------------------------------

logger = logging.getLogger(__name__)

# The link's signature binds the account and the address it was sent to: a link sent before the
# address changed confirms nothing. A salt of its own keeps these signatures from passing as any
# other signed value of the site (django.core.signing).
VERIFICATION_SALT = "polyvox.participants.verify-email"
VERIFICATION_MAX_AGE = timedelta(days=3)
# Resending: one mail a minute, at most five a day per account, so the form cannot be used to
# flood someone's mailbox.
RESEND_INTERVAL = timedelta(minutes=1)
RESEND_PER_DAY = 5


def verification_token(user: User) -> str:
    """A signed, timestamped token naming the account and the address it confirms."""
    return signing.TimestampSigner(salt=VERIFICATION_SALT).sign_object(
        {"user": user.pk, "email": user.email}
    )


def verification_url(user: User) -> str:
    """The absolute link to put in the mail (built from settings.SITE_URL, never the request)."""
    path = reverse("participants:verify_email", kwargs={"token": verification_token(user)})
    return f"{settings.SITE_URL}{path}"


def send_verification(user: User) -> None:
    """Mail `user` a link that confirms their address, once the current write commits.

    Refused (ValidationError on "email") when the address is already confirmed, or when the
    account asked for a link less than a minute ago or five times today."""
    if user.email_verified_at is not None:
        raise ValidationError({"email": _("Your e-mail address is already confirmed.")})
    if not user.email:
        raise ValidationError({"email": _("Your account has no e-mail address.")})
    _count_verification_mail(user)
    subject = _("Confirm your e-mail address for Polyvox")
    body = _(
        "Hello,\n\n"
        "Someone, probably you, registered on Polyvox with this address as “%(username)s”. "
        "To confirm the address and start taking part, open this link within %(days)d days:\n\n"
        "%(url)s\n\n"
        "If you did not register, ignore this message: without confirmation the account "
        "cannot take part in any process."
    ) % {
        "username": user.username,
        "days": VERIFICATION_MAX_AGE.days,
        "url": verification_url(user),
    }
    transaction.on_commit(partial(_send_quietly, subject, body, [user.email]), robust=True)


def verify_email(token: str) -> User:
    """Confirm the address a verification link was sent to, and return its account.

    Idempotent: a link opened twice confirms once. Expired, forged, or out of date (the address
    changed since) links are refused with a ValidationError on "token"."""
    signer = signing.TimestampSigner(salt=VERIFICATION_SALT)
    try:
        data = signer.unsign_object(token, max_age=VERIFICATION_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(
            {"token": _("This link has expired. Log in and ask for a new one from your profile.")}
        ) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise ValidationError(
            {
                "token": _(
                    "This link is not valid. Copy the whole link from the mail, or ask for a new one."
                )
            }
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        raise ValidationError({"token": _("This link is not valid.")})
    with transaction.atomic():
        user = (
            User.objects.select_for_update()
            .filter(pk=data["user"], is_active=True, closed_at__isnull=True)
            .first()
        )
        if user is None or user.email.lower() != str(data.get("email", "")).lower():
            raise ValidationError(
                {
                    "token": _(
                        "This link was sent to an address that is no longer on the account. Ask for a new one from your profile."
                    )
                }
            )
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
    return user


@transaction.atomic
def change_email(*, actor: User, user: User, email: str, password: str) -> User:
    """Change the account's address after checking the password; the new address must be
    confirmed again (a link is sent to it), and until then the person cannot take part."""
    require(can_edit_profile(actor, user), _("Only the participant can change their own address."))
    if not user.check_password(password):
        raise ValidationError({"password": _("This is not your current password.")})
    email = User.objects.normalize_email(email.strip())
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError({"email": _("Another account uses this address.")})
    if email.lower() == user.email.lower():
        raise ValidationError({"email": _("This is already your address.")})
    user.email = email
    user.email_verified_at = None
    user.full_clean(exclude=["password"], validate_unique=False)
    user.save(update_fields=["email", "email_verified_at"])
    send_verification(user)
    return user


def _count_verification_mail(user: User) -> None:
    """Refuse a mail sent too soon after the last one, or past the day's limit (the cache holds
    the counts; the key names the account and its creation, so a reused id starts afresh)."""
    seed = f"{user.pk}:{user.date_joined.timestamp()}".encode()
    key = "polyvox:verify-mail:" + hashlib.sha256(seed).hexdigest()[:32]
    if not cache.add(f"{key}:recent", 1, timeout=int(RESEND_INTERVAL.total_seconds())):
        raise ValidationError(
            {
                "email": _(
                    "We sent you a link less than a minute ago. Check your mailbox (and spam folder) before asking again."
                )
            }
        )
    cache.add(f"{key}:day", 0, timeout=24 * 60 * 60)
    if cache.incr(f"{key}:day") > RESEND_PER_DAY:
        raise ValidationError(
            {
                "email": _("We have sent you %(count)d links today. Try again tomorrow.")
                % {"count": RESEND_PER_DAY}
            }
        )


def _send_quietly(subject: str, body: str, recipients: list[str]) -> None:
    """Send one mail; a mail server that refuses or is down is logged, not turned into a 500 for
    the person registering (they can ask for the link again)."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except (OSError, smtplib.SMTPException):
        logger.exception("Could not send the verification mail")


# Consent to the terms of use and the privacy notice --------------------------------------------


def current_versions() -> dict[str, str]:
    """The version in force of each document (settings POLYVOX_TERMS_VERSION and _PRIVACY_)."""
    return {
        ConsentDocument.TERMS: settings.POLYVOX_TERMS_VERSION,
        ConsentDocument.PRIVACY: settings.POLYVOX_PRIVACY_VERSION,
    }


def consents_missing(user: User) -> list[str]:
    """The documents (ConsentDocument values) whose current version `user` has not accepted;
    one query."""
    versions = current_versions()
    accepted = set(
        Consent.objects.filter(user_id=user.pk)
        .filter(
            document__in=list(versions),
            version__in=list(set(versions.values())),
        )
        .values_list("document", "version")
    )
    return [doc for doc, version in versions.items() if (doc, version) not in accepted]


def accept_consents(user: User, documents: Iterable[str]) -> list[Consent]:
    """Record that `user` accepts the current version of each of `documents`; accepting a version
    again changes nothing."""
    versions = current_versions()
    wanted = list(dict.fromkeys(documents))
    unknown = [doc for doc in wanted if doc not in versions]
    if unknown:
        raise ValidationError(
            {"documents": _("Unknown document: %(doc)s.") % {"doc": ", ".join(unknown)}}
        )
    Consent.objects.bulk_create(
        [Consent(user=user, document=doc, version=versions[doc]) for doc in wanted],
        ignore_conflicts=True,
    )
    return list(
        Consent.objects.filter(
            user=user, document__in=wanted, version__in=[versions[d] for d in wanted]
        )
    )
