"""Writes for joint statements: draft, edit, open for sign-on, publish from a caucus, answer with a
linked statement, sign and withdraw. Each one checks, validates, writes atomically and records."""

import hashlib
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.caucuses.models import Caucus, WorkingDraftRevision
from polyvox.caucuses.permissions import is_facilitator
from polyvox.core.permissions import Actor, is_signed_in, require
from polyvox.core.text import normalize_whitespace
from polyvox.joint_statements.models import (
    JointStatement,
    JointStatementRevision,
    Relation,
    Signature,
    StatementStatus,
)
from polyvox.joint_statements.permissions import (
    can_edit_draft,
    can_open_for_sign_on,
    can_write_statements,
    is_withdrawer,
    process_is_open,
    takes_part,
)
from polyvox.notifications.services import notify
from polyvox.organisations.models import Organisation
from polyvox.organisations.permissions import can_speak_for
from polyvox.participants.models import Profile, User
from polyvox.processes.models import ParticipationPolicy, Process
from polyvox.record.services import append_entry

MAX_TITLE_CHARS = JointStatement._meta.get_field("title").max_length or 200
MAX_BODY_CHARS = 50_000
MAX_REASON_CHARS = 1_000


# Rules ---------------------------------------------------------------------------------------


def _refuse_nul(value: str, field: str) -> None:
    # PostgreSQL cannot store U+0000 in text: refuse it here rather than fail in the database.
    if "\x00" in value:
        raise ValidationError({field: _("The text contains a NUL character (U+0000).")})


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
    _refuse_nul(heading, "title")
    _refuse_nul(text, "body")
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


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def _profile_of(actor: User) -> Profile:
    profile = Profile.objects.filter(user_id=actor.pk).first()
    if profile is None or not profile.display_name:
        raise ValidationError(_("Complete your profile before taking part."))
    return profile


def _write_refusal(actor: Actor | None, process: Process) -> str:
    """Why `actor` may not write here, in words a participant can act on."""
    if not process_is_open(process):
        return _("This process is closed.")
    if not is_signed_in(actor):
        return _("Log in to take part.")
    if process.participation_policy == ParticipationPolicy.INVITED:
        return _("This process is open to invited participants only.")
    return _("You cannot take part in this process.")


def _require_representative(actor: Actor, organisation: Organisation | None) -> None:
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
        "author": statement.author_name,
        "organisation": _organisation_payload(statement.organisation),
        "caucus": None if caucus is None else {"name": caucus.name, "slug": caucus.slug},
        "body_sha256": text_digest(statement.body),
        "sign_on_deadline": (
            statement.sign_on_deadline.astimezone(UTC).isoformat()
            if statement.sign_on_deadline
            else None
        ),
    }


def _new_statement(
    *,
    actor: User,
    process: Process,
    title: str,
    body: str,
    organisation: Organisation | None,
    **fields: Any,
) -> JointStatement:
    profile = _profile_of(actor)
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


# Drafting and opening ------------------------------------------------------------------------


@transaction.atomic
def create_joint_statement(
    *,
    actor: User,
    process: Process,
    title: str,
    body: str,
    organisation: Organisation | None = None,
) -> JointStatement:
    """A public draft (revision 1) by anyone taking part, for themselves or an organisation."""
    require(can_write_statements(actor, process), _write_refusal(actor, process))
    _require_representative(actor, organisation)
    heading, text = clean_text(title, body)
    statement = _new_statement(
        actor=actor, process=process, title=heading, body=text, organisation=organisation
    )
    append_entry(
        process=process, kind="joint_statement_drafted", payload=statement_payload(statement)
    )
    return statement


@transaction.atomic
def edit_draft(*, actor: User, statement: JointStatement, title: str, body: str) -> JointStatement:
    """Its author changes a draft; every text is kept as a numbered revision."""
    require(
        can_edit_draft(actor, statement),
        _("Only its author can edit a draft, and only until it is opened for sign-on."),
    )
    heading, text = clean_text(title, body)
    locked = JointStatement.objects.select_for_update().get(pk=statement.pk)
    if locked.status != StatementStatus.DRAFT:
        raise ValidationError({"body": _("This statement is open for sign-on: its text is final.")})
    if (heading, text) == (locked.title, locked.body):
        raise ValidationError({"body": _("Nothing was changed.")})
    last = locked.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    JointStatementRevision.objects.create(
        statement=locked, number=last + 1, title=heading, body=text
    )
    statement.title, statement.body = heading, text
    statement.save(update_fields=["title", "body", "updated_at"])
    append_entry(
        process=statement.process,
        kind="joint_statement_draft_edited",
        payload={
            "statement_id": statement.pk,
            "revision": last + 1,
            "title": heading,
            "body_sha256": text_digest(text),
        },
    )
    return statement


@transaction.atomic
def open_for_sign_on(
    *, actor: User, statement: JointStatement, deadline: datetime
) -> JointStatement:
    """Publish a draft and take signatures until `deadline`; its text is frozen from now on."""
    now = timezone.now()
    locked = JointStatement.objects.select_for_update().get(pk=statement.pk)
    if locked.status != StatementStatus.DRAFT:
        raise ValidationError({"deadline": _("This statement is already open for sign-on.")})
    if not process_is_open(statement.process):
        raise ValidationError({"deadline": _("This process is closed.")})
    require(
        can_open_for_sign_on(actor, locked),
        _("Only its author or the secretariat can open this statement for sign-on."),
    )
    statement.sign_on_deadline = clean_deadline(deadline, now)
    statement.status = StatementStatus.PUBLISHED
    statement.published_at = now
    statement.save(update_fields=["status", "published_at", "sign_on_deadline", "updated_at"])
    append_entry(
        process=statement.process,
        kind="joint_statement_opened",
        payload=statement_payload(statement),
    )
    return statement


@transaction.atomic
def publish_from_caucus(
    *,
    actor: User,
    caucus: Caucus,
    deadline: datetime,
    organisation: Organisation | None = None,
) -> JointStatement:
    """A facilitator publishes the caucus's latest working draft as a joint statement open for
    sign-on. Only that text leaves the caucus: its threads and earlier revisions stay inside."""
    now = timezone.now()
    require(
        is_facilitator(actor, caucus),
        _("Only the caucus's facilitators can publish its content."),
    )
    process = caucus.process
    if not process_is_open(process):
        raise ValidationError({"deadline": _("This process is closed.")})
    _require_representative(actor, organisation)
    latest = WorkingDraftRevision.objects.filter(caucus=caucus).order_by("-number").first()
    if latest is None or not latest.body.strip() or not latest.title.strip():
        raise ValidationError(
            {"caucus": _("The caucus's working draft is empty: write it before publishing.")}
        )
    heading, text = clean_text(latest.title, latest.body)
    statement = _new_statement(
        actor=actor,
        process=process,
        title=heading,
        body=text,
        organisation=organisation,
        caucus=caucus,
        status=StatementStatus.PUBLISHED,
        published_at=now,
        sign_on_deadline=clean_deadline(deadline, now),
    )
    append_entry(
        process=process, kind="joint_statement_opened", payload=statement_payload(statement)
    )
    return statement


# Linked statements ---------------------------------------------------------------------------


@transaction.atomic
def publish_linked_statement(
    *,
    actor: User,
    responds_to: JointStatement,
    relation: str,
    title: str,
    body: str,
    organisation: Organisation | None = None,
    deadline: datetime | None = None,
) -> JointStatement:
    """A dissenting or supplementary statement, published at once next to the joint statement it
    answers; with a deadline it takes signatures too. The joint statement's author is told."""
    now = timezone.now()
    process = responds_to.process
    require(can_write_statements(actor, process), _write_refusal(actor, process))
    if relation not in (Relation.DISSENT, Relation.SUPPLEMENT):
        raise ValidationError({"relation": _("Choose a dissenting or a supplementary statement.")})
    if responds_to.relation != Relation.JOINT:
        raise ValidationError(
            {
                "responds_to": _(
                    "A dissenting or supplementary statement answers a joint statement, "
                    "not another linked statement."
                )
            }
        )
    if responds_to.status != StatementStatus.PUBLISHED:
        raise ValidationError(
            {
                "responds_to": _(
                    "This joint statement is still a draft: answer it once it is published."
                )
            }
        )
    _require_representative(actor, organisation)
    heading, text = clean_text(title, body)
    statement = _new_statement(
        actor=actor,
        process=process,
        title=heading,
        body=text,
        organisation=organisation,
        relation=relation,
        responds_to=responds_to,
        status=StatementStatus.PUBLISHED,
        published_at=now,
        sign_on_deadline=clean_deadline(deadline, now) if deadline is not None else None,
    )
    append_entry(
        process=process, kind="linked_statement_published", payload=statement_payload(statement)
    )
    if responds_to.author_id != actor.pk:
        byline = organisation.name if organisation else statement.author_name
        notify(
            recipients=[responds_to.author],
            subject=_("%(who)s answered “%(title)s”") % {"who": byline, "title": responds_to.title},
            body=_("%(who)s published a %(relation)s next to your joint statement: “%(title)s”.")
            % {
                "who": byline,
                "relation": str(Relation(relation).label).lower(),
                "title": heading,
            },
            url=responds_to.get_absolute_url(),
        )
    return statement


# Signatures ----------------------------------------------------------------------------------


def _check_sign_on_open(statement: JointStatement, now: datetime, *, withdrawing: bool) -> None:
    """Refuse with the reason a signatory needs when the statement takes no signatures now."""
    field = "signature" if withdrawing else "statement"
    if statement.status != StatementStatus.PUBLISHED:
        raise ValidationError(
            {field: _("This statement is still a draft: it is not open for sign-on.")}
        )
    if not process_is_open(statement.process):
        raise ValidationError({field: _("This process is closed.")})
    deadline = statement.sign_on_deadline
    if deadline is None:
        raise ValidationError({field: _("This statement does not take signatures.")})
    if now >= deadline:
        closed = _("Sign-on closed on %(date)s UTC.") % {"date": _utc(deadline)}
        if withdrawing:
            closed = "{} {}".format(closed, _("Signatures can no longer be withdrawn."))
        raise ValidationError({field: closed})


def signature_payload(signature: Signature) -> dict[str, Any]:
    """What the record says about a signature: the public snapshot, never the signer's account."""
    statement = signature.statement
    return {
        "signature_id": signature.pk,
        "statement_id": statement.pk,
        "title": statement.title,
        "signatory": signature.signer_name,
        "organisation": (
            None
            if signature.organisation is None
            else {"name": signature.organisation_name, "slug": signature.organisation.slug}
        ),
        "stakeholder_group": signature.stakeholder_group,
        "country": signature.country,
    }


def _stands(signatures: QuerySet[Signature]) -> bool:
    """Whether one of `signatures` is active (seen by this transaction; a concurrent one may
    not be visible yet, which the partial unique constraints catch)."""
    return signatures.filter(withdrawn_at__isnull=True).exists()


@transaction.atomic
def sign(
    *, actor: User, statement: JointStatement, organisation: Organisation | None = None
) -> Signature:
    """Sign for an organisation one represents, or for oneself, before the deadline; once each."""
    now = timezone.now()
    require(is_signed_in(actor), _("Log in to sign."))
    _check_sign_on_open(statement, now, withdrawing=False)
    require(takes_part(actor, statement.process), _write_refusal(actor, statement.process))
    _require_representative(actor, organisation)
    profile = _profile_of(actor)
    if organisation is not None:
        already = _("%(name)s has already signed.") % {"name": organisation.name}
        existing = Signature.objects.filter(statement=statement, organisation=organisation)
    else:
        already = _("You have already signed this statement.")
        existing = Signature.objects.filter(
            statement=statement, signer_id=actor.pk, organisation__isnull=True
        )
    if _stands(existing):
        raise ValidationError({"organisation": already})
    signature = Signature(
        statement=statement,
        signer=actor,
        organisation=organisation,
        signer_name=profile.display_name,
        organisation_name=organisation.name if organisation else "",
        stakeholder_group=(organisation or profile).stakeholder_group,
        country=(organisation or profile).country,
        signed_at=now,
    )
    try:
        # A concurrent signature for the same signatory passed the check above: the partial
        # unique constraint stops it; the savepoint keeps the outer transaction usable.
        with transaction.atomic():
            signature.save()
    except IntegrityError:
        raise ValidationError({"organisation": already}) from None
    append_entry(
        process=statement.process,
        kind="joint_statement_signed",
        payload=signature_payload(signature),
    )
    return signature


@transaction.atomic
def withdraw_signature(*, actor: User, signature: Signature, reason: str = "") -> Signature:
    """The signer, or a representative of the signing organisation, withdraws before the deadline.
    The row stays, with `withdrawn_at` and the (public) reason."""
    now = timezone.now()
    require(is_signed_in(actor), _("Log in to withdraw a signature."))
    require(
        is_withdrawer(actor, signature),
        _(
            "Only the signatory, or a representative of the organisation that signed, can "
            "withdraw this signature."
        ),
    )
    withdrawn_by = _profile_of(actor).display_name
    locked = Signature.objects.select_for_update().get(pk=signature.pk)
    if locked.withdrawn_at is not None:
        raise ValidationError({"signature": _("This signature has already been withdrawn.")})
    _check_sign_on_open(signature.statement, now, withdrawing=True)
    clean_reason = " ".join((reason or "").split())
    _refuse_nul(clean_reason, "reason")
    if len(clean_reason) > MAX_REASON_CHARS:
        raise ValidationError(
            {
                "reason": _("Keep the reason under %(limit)d characters.")
                % {"limit": MAX_REASON_CHARS}
            }
        )
    signature.withdrawn_at = now
    signature.withdrawal_reason = clean_reason
    signature.save(update_fields=["withdrawn_at", "withdrawal_reason"])
    payload = signature_payload(signature)
    payload["reason"] = clean_reason
    payload["withdrawn_by"] = withdrawn_by
    append_entry(
        process=signature.statement.process,
        kind="joint_statement_signature_withdrawn",
        payload=payload,
    )
    return signature
