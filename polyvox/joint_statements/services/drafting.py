"""Draft in the open, edit, open for sign-on, publish a caucus's working draft, answer with a
linked (dissenting or supplementary) statement."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.caucuses.models import Caucus, WorkingDraftRevision
from polyvox.caucuses.permissions import is_facilitator
from polyvox.core.permissions import require
from polyvox.joint_statements.models import (
    JointStatement,
    JointStatementRevision,
    Relation,
    StatementStatus,
)
from polyvox.joint_statements.permissions import (
    can_edit_draft,
    can_open_for_sign_on,
    can_write_statements,
    process_is_open,
)
from polyvox.joint_statements.services.rules import (
    clean_deadline,
    clean_text,
    new_statement,
    require_representative,
    statement_payload,
    text_digest,
    write_refusal,
)
from polyvox.notifications.services import notify
from polyvox.organisations.models import Organisation
from polyvox.participants.models import User
from polyvox.processes.models import Process
from polyvox.record.services import append_entry

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
    require(can_write_statements(actor, process), write_refusal(actor, process))
    require_representative(actor, organisation)
    heading, text = clean_text(title, body)
    statement = new_statement(
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
    require_representative(actor, organisation)
    latest = WorkingDraftRevision.objects.filter(caucus=caucus).order_by("-number").first()
    if latest is None or not latest.body.strip() or not latest.title.strip():
        raise ValidationError(
            {"caucus": _("The caucus's working draft is empty: write it before publishing.")}
        )
    heading, text = clean_text(latest.title, latest.body)
    statement = new_statement(
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
    require(can_write_statements(actor, process), write_refusal(actor, process))
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
    require_representative(actor, organisation)
    heading, text = clean_text(title, body)
    statement = new_statement(
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
