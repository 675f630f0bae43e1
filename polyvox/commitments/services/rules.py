"""What every commitment write checks and records: texts, dates, evidence links, payloads."""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.commitments.models import Commitment, CommitmentUpdate, Contestation
from polyvox.core.permissions import Actor, is_signed_in
from polyvox.core.text import normalize_whitespace, refuse_nul
from polyvox.participants.models import User
from polyvox.participants.selectors import profile_to_take_part
from polyvox.processes.models import ParticipationPolicy, Process

MAX_TITLE_CHARS = Commitment._meta.get_field("title").max_length or 200
MAX_TEXT_CHARS = 10_000
MAX_REASON_CHARS = 5_000
MAX_EVIDENCE_LINKS = 10
MAX_URL_CHARS = 2_000
MAX_RECOMMENDATIONS = 50
REMINDER_DAYS = 7
MAX_YEARS_AHEAD = 50

_http_url = URLValidator(schemes=["http", "https"])


def moment(now: datetime | None) -> datetime:
    return now if now is not None else timezone.now()


def utc_date(now: datetime) -> date:
    """The UTC calendar date of `now`: due dates and "overdue" are read in UTC."""
    return now.astimezone(UTC).date()


def clean_text(value: str, field: str, *, required: str, limit: int) -> str:
    """Text as stored (whitespace normalised); `required` is the message when it is blank."""
    text = normalize_whitespace(value or "")
    if not text:
        raise ValidationError({field: required})
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("Keep it under %(limit)d characters (this has %(count)d).")
                % {"limit": limit, "count": len(text)}
            }
        )
    refuse_nul(text, field)
    return text


def clean_optional_text(value: str, field: str, *, limit: int) -> str:
    text = normalize_whitespace(value or "")
    if not text:
        return ""
    return clean_text(text, field, required="", limit=limit)


def clean_title(title: str) -> str:
    heading = " ".join((title or "").split())
    if not heading:
        raise ValidationError({"title": _("Say what you commit to.")})
    if len(heading) > MAX_TITLE_CHARS:
        raise ValidationError(
            {"title": _("Keep it under %(limit)d characters.") % {"limit": MAX_TITLE_CHARS}}
        )
    refuse_nul(heading, "title")
    return heading


def clean_due_on(due_on: date | None, today: date) -> date:
    if due_on is None:
        raise ValidationError({"due_on": _("Say by when.")})
    if isinstance(due_on, datetime):
        due_on = due_on.astimezone(UTC).date() if timezone.is_aware(due_on) else due_on.date()
    if due_on < today:
        raise ValidationError(
            {
                "due_on": _("The due date %(date)s has passed: choose today or a later date.")
                % {"date": due_on.isoformat()}
            }
        )
    if due_on.year > today.year + MAX_YEARS_AHEAD:
        raise ValidationError(
            {
                "due_on": _("Choose a due date within the next %(years)d years.")
                % {"years": MAX_YEARS_AHEAD}
            }
        )
    return due_on


def clean_evidence(links: Sequence[str]) -> list[str]:
    """Up to ten distinct http(s) links, in the order given; anything else is refused."""
    cleaned: list[str] = []
    for raw in links:
        link = (raw or "").strip()
        if not link:
            continue
        refuse_nul(link, "evidence")
        if len(link) > MAX_URL_CHARS:
            raise ValidationError(
                {
                    "evidence": _("A link is longer than %(limit)d characters.")
                    % {"limit": MAX_URL_CHARS}
                }
            )
        try:
            _http_url(link)
        except ValidationError:
            raise ValidationError(
                {
                    "evidence": _("“%(link)s” is not a web address (http:// or https://).")
                    % {"link": link[:80]}
                }
            ) from None
        if link not in cleaned:
            cleaned.append(link)
    if len(cleaned) > MAX_EVIDENCE_LINKS:
        raise ValidationError(
            {
                "evidence": _("Give at most %(limit)d evidence links (this has %(count)d).")
                % {"limit": MAX_EVIDENCE_LINKS, "count": len(cleaned)}
            }
        )
    return cleaned


def display_name(actor: User) -> str:
    return profile_to_take_part(actor).display_name


def take_part_refusal(actor: Actor | None, process: Process) -> str:
    """Why `actor` may not commit here, in words a participant can act on."""
    if not is_signed_in(actor):
        return _("Log in to take part.")
    if process.participation_policy == ParticipationPolicy.INVITED:
        return _("This process is open to invited participants only.")
    return _("You cannot take part in this process.")


# Record payloads: public data only (bylines as published, never an account). ------------------


def _organisation(commitment: Commitment) -> dict[str, str] | None:
    organisation = commitment.organisation
    return None if organisation is None else {"name": organisation.name, "slug": organisation.slug}


def commitment_payload(commitment: Commitment) -> dict[str, Any]:
    return {
        "commitment_id": commitment.pk,
        "title": commitment.title,
        "description": commitment.description,
        "organisation": _organisation(commitment),
        "due_on": commitment.due_on.isoformat(),
        "recommendations": sorted(commitment.recommendations.values_list("number", flat=True)),
        "decision": commitment.decision.recommendation.number if commitment.decision else None,
    }


def update_payload(update: CommitmentUpdate) -> dict[str, Any]:
    return {
        "commitment_id": update.commitment_id,
        "update_id": update.pk,
        "title": update.commitment.title,
        "status": update.status,
        "text": update.text,
        "evidence": list(update.evidence),
        "reason": update.reason,
        "at": update.created_at.astimezone(UTC).isoformat(),
    }


def contestation_payload(contestation: Contestation) -> dict[str, Any]:
    update = contestation.update
    return {
        "commitment_id": update.commitment_id,
        "update_id": update.pk,
        "contestation_id": contestation.pk,
        "reason": contestation.reason,
        "at": contestation.created_at.astimezone(UTC).isoformat(),
    }
