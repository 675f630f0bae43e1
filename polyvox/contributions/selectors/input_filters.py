"""Filters for the common questions about a process's inputs (answered or not, kind, stakeholder
group, since a date, language), parsed from query text with a clear message for each bad value."""

from dataclasses import dataclass
from datetime import UTC, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from polyvox.contributions.models import Contribution, ContributionKind, Disposition
from polyvox.participants.models import StakeholderGroup

YES_NO = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}


@dataclass(frozen=True)
class InputFilters:
    """What to keep; None (or "") keeps everything."""

    answered: bool | None = None
    kind: str = ""
    stakeholder_group: str = ""
    since: datetime | None = None
    language: str = ""


def _since(text: str) -> datetime | None:
    """An ISO date (midnight UTC) or datetime (UTC unless it names its offset)."""
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            moment = datetime.combine(day, time.min) if day is not None else None
    except ValueError:  # well formed but impossible, such as 2026-02-30
        moment = None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def input_filters(
    *,
    answered: str = "",
    kind: str = "",
    stakeholder_group: str = "",
    since: str = "",
    language: str = "",
) -> InputFilters:
    """The filters the texts ask for; ValidationError naming each field whose value is not one."""
    errors: dict[str, list[str]] = {}
    answered_value = YES_NO.get(answered.strip().lower()) if answered else None
    if answered and answered_value is None:
        errors["answered"] = [_("Say yes or no.")]
    if kind and kind not in ContributionKind.values:
        errors["kind"] = [
            _("Not a kind of input; one of: %(kinds)s.")
            % {"kinds": ", ".join(ContributionKind.values)}
        ]
    if stakeholder_group and stakeholder_group not in StakeholderGroup.values:
        errors["stakeholder_group"] = [
            _("Not a stakeholder group; one of: %(groups)s.")
            % {"groups": ", ".join(StakeholderGroup.values)}
        ]
    since_value = _since(since) if since else None
    if since and since_value is None:
        errors["since"] = [
            _("Give a date (2026-03-01) or a date and time (2026-03-01T14:30:00Z) in ISO 8601.")
        ]
    languages = [code for code, _label in settings.LANGUAGES]
    if language and language not in languages:
        errors["language"] = [
            _("Not a language of the site; one of: %(codes)s.") % {"codes": ", ".join(languages)}
        ]
    if errors:
        raise ValidationError(errors)
    return InputFilters(answered_value, kind, stakeholder_group, since_value, language)


def filter_inputs(rows: QuerySet[Contribution], filters: InputFilters) -> QuerySet[Contribution]:
    """`rows` narrowed by `filters`, in the database (each condition a column of the input, or
    the existence of its answer, found through the disposition's unique key)."""
    if filters.answered is not None:
        answer = Exists(Disposition.objects.filter(contribution_id=OuterRef("pk")))
        rows = rows.filter(answer if filters.answered else ~answer)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.stakeholder_group:
        rows = rows.filter(stakeholder_group=filters.stakeholder_group)
    if filters.since is not None:
        rows = rows.filter(created_at__gte=filters.since)
    if filters.language:
        rows = rows.filter(language=filters.language)
    return rows
