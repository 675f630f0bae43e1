"""What every joint-statement write checks and records: texts, deadlines, who may write, payloads."""

import hashlib
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.core.permissions import Actor, is_signed_in, require
from polyvox.core.text import normalize_whitespace, refuse_nul
from polyvox.joint_statements.models import (
    JointStatement,
    JointStatementRevision,
)
from polyvox.joint_statements.permissions import (
    process_is_open,
)
from polyvox.organisations.models import Organisation
from polyvox.organisations.permissions import can_speak_for
from polyvox.participants.models import User
from polyvox.participants.selectors import profile_to_take_part
from polyvox.processes.models import ParticipationPolicy, Process

MAX_TITLE_CHARS = JointStatement._meta.get_field("title").max_length or 200
MAX_BODY_CHARS = 50_000
MAX_REASON_CHARS = 1_000


# Rules ---------------------------------------------------------------------------------------


def clean_text(title: str, body: str) -> tuple[str, str]:
    """The title (one line) and text as stored; both are required, each within its limit."""
    heading = " ".join((title or "").split())
    text = normalize_whitespace(body or "")
    errors: dict[str, str] = {}
    if not heading:
        errors["title"] = _("Give the statement a title.")
    elif len(heading) > MAX_TITLE_CHARS:
        errors["title"] = _("Keep the title under %(limit)d characters.") % {
            "limit": MAX_TITLE_CHARS
        }
    if not text:
        errors["body"] = _("Write the text of the statement.")
    elif len(text) > MAX_BODY_CHARS:
        errors["body"] = _("Keep it under %(limit)d characters (this has %(count)d).") % {
            "limit": MAX_BODY_CHARS,
            "count": len(text),
        }
    if errors:
        raise ValidationError(errors)
    refuse_nul(heading, "title")
    refuse_nul(text, "body")
    return heading, text


def clean_deadline(deadline: datetime | None, now: datetime) -> datetime:
    """A sign-on deadline in the future (a naive time is read as UTC)."""
    if deadline is None:
        raise ValidationError({"deadline": _("Choose the sign-on deadline.")})
    if timezone.is_naive(deadline):
        deadline = timezone.make_aware(deadline, UTC)
    if deadline <= now:
        raise ValidationError({"deadline": _("Choose a sign-on deadline in the future.")})
    return deadline


def text_digest(body: str) -> str:
    """SHA-256 of the text exactly as stored (UTF-8), as the record publishes it."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def write_refusal(actor: Actor | None, process: Process) -> str:
    """Why `actor` may not write here, in words a participant can act on."""
    if not process_is_open(process):
        return _("This process is closed.")
    if not is_signed_in(actor):
        return _("Log in to take part.")
    if process.participation_policy == ParticipationPolicy.INVITED:
        return _("This process is open to invited participants only.")
    return _("You cannot take part in this process.")


def require_representative(actor: Actor, organisation: Organisation | None) -> None:
    if organisation is not None:
        require(
            can_speak_for(actor, organisation),
            _("You are not an approved representative of %(organisation)s.")
            % {"organisation": organisation.name},
        )


def _organisation_payload(organisation: Organisation | None) -> dict[str, str] | None:
    return None if organisation is None else {"name": organisation.name, "slug": organisation.slug}


def statement_payload(statement: JointStatement) -> dict[str, Any]:
    """What the record says about a statement: public fields and a digest of its text."""
    caucus = statement.caucus
    return {
        "statement_id": statement.pk,
        "relation": statement.relation,
        "responds_to": statement.responds_to_id,
        "title": statement.title,
        "organisation": _organisation_payload(statement.organisation),
        "caucus": None if caucus is None else {"name": caucus.name, "slug": caucus.slug},
        "body_sha256": text_digest(statement.body),
        "sign_on_deadline": (
            statement.sign_on_deadline.astimezone(UTC).isoformat()
            if statement.sign_on_deadline
            else None
        ),
    }


def new_statement(
    *,
    actor: User,
    process: Process,
    title: str,
    body: str,
    organisation: Organisation | None,
    **fields: Any,
) -> JointStatement:
    profile = profile_to_take_part(actor)
    statement = JointStatement(
        process=process,
        title=title,
        body=body,
        author=actor,
        author_name=profile.display_name,
        organisation=organisation,
        **fields,
    )
    statement.full_clean()
    statement.save()
    JointStatementRevision.objects.create(statement=statement, number=1, title=title, body=body)
    return statement
