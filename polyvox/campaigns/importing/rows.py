"""One import row through the rules of the web form and the intake: the same cleaning, limits
and refusals (`contributions.services.rules`, `campaigns.services.intake`), property-tested."""

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.campaigns.addresses import email_domain_of, network_block
from polyvox.campaigns.importing.files import FIELDS
from polyvox.campaigns.services.intake import clean_external_id
from polyvox.contributions.services.rules import clean_author_name, clean_body, clean_organisation
from polyvox.contributions.services.submitting import input_language
from polyvox.participants.models import StakeholderGroup
from polyvox.participants.regions import is_known_country

_GROUPS = {
    **{key: key for key in StakeholderGroup.values},
    **{str(label).casefold(): key for key, label in StakeholderGroup.choices},
}


def _text(raw: Any) -> str:
    return "" if raw is None else str(raw)


def _apply(errors: dict[str, list[str]], column: str, rule: Callable[[str], str], raw: str) -> str:
    """`rule(raw)`, or "" with the rule's messages filed under the file's column name."""
    try:
        return rule(raw)
    except ValidationError as error:
        errors.setdefault(column, []).extend(m for ms in error.message_dict.values() for m in ms)
        return ""


def clean_row(
    row: Mapping[str, Any], columns: dict[str, str]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """(values, errors) for one row, with the rules the web form's service applies."""
    get = {name: _text(row.get(column)) for name, column in columns.items()}
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {
        "text": _apply(errors, "text", clean_body, get["text"]),
        "author_name": _apply(errors, "author_name", clean_author_name, get["author_name"])
        or _("Anonymous"),
        "organisation": _apply(errors, "organisation", clean_organisation, get["organisation"]),
        "external_id": _apply(errors, "external_id", clean_external_id, get["external_id"]),
        "email_domain": _apply(errors, "email_domain", email_domain_of, get["email_domain"]),
        "network": _apply(errors, "network", network_block, get["network"]),
    }
    group = get["stakeholder_group"].strip()
    values["stakeholder_group"] = _GROUPS.get(group.casefold(), "") if group else "individual"
    if not values["stakeholder_group"]:
        errors["stakeholder_group"] = [
            _("Unknown stakeholder group “%(group)s”.") % {"group": group}
        ]
    country = get["country"].strip().upper()
    if country and not is_known_country(country):
        errors["country"] = [_("Unknown country code “%(code)s”.") % {"code": country}]
    values["country"] = country
    # The language the input is written in, when the file says (blank: not known; a letter or
    # paper import has no author profile to take it from).
    language = get["language"].strip()
    values["language"] = _apply(errors, "language", _language, language) if language else ""
    values["date"] = None
    if date := get["date"].strip():
        try:
            when = datetime.fromisoformat(date)
            values["date"] = when if timezone.is_aware(when) else when.replace(tzinfo=UTC)
        except ValueError:
            errors["date"] = [_("Not an ISO 8601 date: “%(date)s”.") % {"date": date}]
    return values, errors


def _language(code: str) -> str:
    return input_language(code, None)


_HASHED = tuple(name for name in FIELDS if name != "external_id")


def row_key(values: dict[str, Any]) -> tuple[str, ...]:
    """The fields that identify a row without an external id."""
    return tuple(str(values[name]) for name in _HASHED)


def row_hash(key: tuple[str, ...], occurrence: int) -> str:
    return hashlib.sha256(json.dumps([*key, occurrence]).encode("utf-8")).hexdigest()


@dataclass
class CleanRow:
    """A row that passed every rule, with its line number in the file."""

    line: int
    values: dict[str, Any] = field(default_factory=dict)
