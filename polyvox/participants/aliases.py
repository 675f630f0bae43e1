"""A participant's alias: the name the public sees where a process allows pseudonyms.

An alias must not identify its holder (not their own display name or username, not an e-mail
address) and must not pass for someone else (not another participant's display name, alias or
username). The secretariat still sees the verified account behind it (docs/identity.md).
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext as _

from polyvox.core.text import refuse_invisible_only, refuse_unstorable
from polyvox.participants.models import Profile, User

MIN_ALIAS_CHARS = 3
MAX_ALIAS_CHARS = Profile._meta.get_field("alias").max_length or 120
# Bylines the platform itself publishes: an alias must not pass for one of them.
RESERVED = frozenset({"anonymous", "anonymous participant", "former participant"})


def _looks_like_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return "@" in value and "." in value.rpartition("@")[2]
    return True


def clean_alias(*, user: User, alias: str, display_name: str = "") -> str:
    """The alias as stored ("" clears it), or a ValidationError keyed `alias`."""
    refuse_unstorable(str(alias or ""), "alias")
    value = " ".join(str(alias or "").split())
    if not value:
        return ""
    refuse_invisible_only(value, "alias")
    if len(value) < MIN_ALIAS_CHARS:
        raise ValidationError(
            {"alias": _("An alias needs at least %(min)d characters.") % {"min": MIN_ALIAS_CHARS}}
        )
    if len(value) > MAX_ALIAS_CHARS:
        raise ValidationError(
            {"alias": _("Keep the alias to %(max)d characters.") % {"max": MAX_ALIAS_CHARS}}
        )
    if not any(unicodedata.category(c)[0] in "LN" for c in value):
        raise ValidationError({"alias": _("An alias needs at least one letter or digit.")})
    if _looks_like_email(value):
        raise ValidationError({"alias": _("An alias cannot be an e-mail address.")})
    folded = value.casefold()
    if folded in RESERVED:
        raise ValidationError({"alias": _("This alias is reserved. Please choose another.")})
    own = {display_name.casefold(), user.get_username().casefold()}
    if folded in own:
        raise ValidationError(
            {"alias": _("An alias must differ from your display name and your username.")}
        )
    others = Profile.objects.exclude(user_id=user.pk).filter(
        Q(display_name__iexact=value) | Q(alias__iexact=value)
    )
    if others.exists() or User.objects.exclude(pk=user.pk).filter(username__iexact=value).exists():
        # One message for every case: which of them matched is nobody's business.
        raise ValidationError(
            {"alias": _("Another participant already uses this name. Please choose another.")}
        )
    return value
