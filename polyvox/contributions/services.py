"""Writes for contributions: submit, edit, answer (disposition) and hide — one path per action."""

import hashlib
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.contributions.attachments import ACCEPTED, detect_type
from polyvox.contributions.models import (
    Contribution,
    ContributionKind,
    ContributionRevision,
    Disposition,
    DispositionRevision,
    Outcome,
)
from polyvox.contributions.permissions import (
    ACTION_FOR_KIND,
    can_contribute,
    can_dispose,
    can_edit_contribution,
    can_moderate,
)
from polyvox.core.permissions import require
from polyvox.core.text import normalize_whitespace
from polyvox.drafts.models import DraftVersion, Section
from polyvox.drafts.selectors import current_version
from polyvox.notifications.services import notify
from polyvox.participants.models import Profile, User
from polyvox.processes.models import Process
from polyvox.record.services import append_entry

MAX_BODY_CHARS = 20_000
MAX_TITLE_CHARS = 200


def _clean_body(body: str) -> str:
    text = normalize_whitespace(body or "")
    if not text:
        raise ValidationError({"body": _("Write something before sending.")})
    if len(text) > MAX_BODY_CHARS:
        raise ValidationError(
            {
                "body": _("Keep it under %(limit)d characters (this has %(count)d).")
                % {"limit": MAX_BODY_CHARS, "count": len(text)}
            }
        )
    return text


def _clean_title(title: str) -> str:
    text = " ".join((title or "").split())
    if len(text) > MAX_TITLE_CHARS:
        raise ValidationError({"title": _("Keep the title under %d characters.") % MAX_TITLE_CHARS})
    return text


def body_digest(body: str) -> str:
    """SHA-256 of the text: the record proves what was said without republishing it."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _anchor(
    *,
    process: Process,
    kind: str,
    section: Section | None,
    draft_version: DraftVersion | None,
    parent: Contribution | None,
) -> tuple[DraftVersion | None, Section | None]:
    """Where the contribution points: validated against the kind and the process."""
    if section is not None:
        if draft_version is not None and section.version_id != draft_version.pk:
            raise ValidationError({"section": _("This section is not part of that version.")})
        draft_version = section.version
    if draft_version is not None and draft_version.draft.process_id != process.pk:
        raise ValidationError({"draft_version": _("This draft belongs to another process.")})
    if kind == ContributionKind.REPLY:
        if parent is None:
            raise ValidationError({"parent": _("Say which contribution you are replying to.")})
        if parent.process_id != process.pk or parent.hidden_at is not None:
            raise ValidationError(
                {"parent": _("You can only reply to a visible contribution here.")}
            )
        # Replies sit in their parent's thread, so they share its anchor.
        return parent.draft_version, parent.section
    if parent is not None:
        raise ValidationError({"parent": _("Only replies have a parent.")})
    if kind == ContributionKind.COMMENT and section is None:
        raise ValidationError({"section": _("Choose the section you are commenting on.")})
    if kind == ContributionKind.OMISSION and draft_version is None:
        raise ValidationError(
            {"section": _("Say which draft (or which section of it) something is missing from.")}
        )
    if kind == ContributionKind.GENERAL and section is not None:
        raise ValidationError({"section": _("A general comment is about the whole draft.")})
    if draft_version is None:
        # Answered in the feedback report of the text under consultation when it arrived.
        draft_version = current_version(process)
    return draft_version, section


def _check_attachment(attachment: File[Any], kind: str) -> tuple[bytes, str, str]:
    """(content, stored extension, media type) of an accepted attachment."""
    if kind != ContributionKind.SUBMISSION:
        raise ValidationError({"attachment": _("Only submissions can have an attachment.")})
    limit = settings.POLYVOX_MAX_ATTACHMENT_BYTES
    if attachment.size is not None and attachment.size > limit:
        raise ValidationError(
            {
                "attachment": _("The file is too large (the limit is %(mb).1f MB).")
                % {"mb": limit / 1e6}
            }
        )
    attachment.seek(0)
    data = attachment.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            {
                "attachment": _("The file is too large (the limit is %(mb).1f MB).")
                % {"mb": limit / 1e6}
            }
        )
    found = detect_type(data)
    if found is None:
        names = ", ".join(t.key.upper() for t in ACCEPTED)
        raise ValidationError(
            {"attachment": _("This file is not one of the accepted types (%s).") % names}
        )
    return data, found.extension, found.media_type


def _next_tracking_number(process: Process) -> str:
    # The process row is locked by the caller, so sequence numbers are not handed out twice.
    sequence = Contribution.objects.filter(process=process).count() + 1
    return f"PVX-{process.pk}-{sequence:05d}"


def _profile_of(author: User) -> Profile:
    profile = Profile.objects.filter(user=author).first()
    if profile is None or not profile.display_name:
        raise ValidationError(_("Complete your profile before taking part."))
    return profile


def contribution_payload(contribution: Contribution) -> dict[str, object]:
    """What the public record says about a contribution: public fields and a digest only."""
    return {
        "tracking_number": contribution.tracking_number,
        "kind": contribution.kind,
        "draft": contribution.draft_version.draft.slug if contribution.draft_version else None,
        "version": contribution.draft_version.number if contribution.draft_version else None,
        "section": contribution.section.anchor if contribution.section else None,
        "parent": contribution.parent.tracking_number if contribution.parent else None,
        "author": contribution.author_name,
        "stakeholder_group": contribution.stakeholder_group,
        "organisation": contribution.organisation if contribution.on_behalf_of_organisation else "",
        "is_late": contribution.is_late,
        "body_sha256": body_digest(contribution.body),
    }


@transaction.atomic
def submit_contribution(
    *,
    author: User,
    process: Process,
    kind: str,
    body: str,
    title: str = "",
    section: Section | None = None,
    draft_version: DraftVersion | None = None,
    parent: Contribution | None = None,
    on_behalf_of_organisation: bool = False,
    attachment: File[Any] | None = None,
) -> Contribution:
    """Accept an input (marked late where the process allows it), store revision 1, e-mail a receipt."""
    if kind not in ACTION_FOR_KIND:
        raise ValidationError({"kind": _("Unknown kind of contribution.")})
    now = timezone.now()
    window = can_contribute(author, process, ACTION_FOR_KIND[kind], now)
    require(window.allowed, window.reason)
    profile = _profile_of(author)
    text, heading = _clean_body(body), _clean_title(title)
    draft_version, section = _anchor(
        process=process, kind=kind, section=section, draft_version=draft_version, parent=parent
    )
    if on_behalf_of_organisation and not (profile.organisation and profile.speaks_for_organisation):
        raise ValidationError(
            {
                "on_behalf_of_organisation": _(
                    "Your profile must name your organisation and say you speak on its behalf."
                )
            }
        )
    checked = _check_attachment(attachment, kind) if attachment is not None else None

    Process.objects.select_for_update().filter(pk=process.pk).first()
    contribution = Contribution(
        process=process,
        kind=kind,
        draft_version=draft_version,
        section=section,
        parent=parent,
        author=author,
        author_name=profile.display_name,
        stakeholder_group=profile.stakeholder_group,
        country=profile.country,
        organisation=profile.organisation,
        on_behalf_of_organisation=on_behalf_of_organisation,
        title=heading,
        body=text,
        tracking_number=_next_tracking_number(process),
        is_late=window.late,
    )
    if checked is not None and attachment is not None:
        data, extension, media_type = checked
        contribution.attachment_name = PurePath(attachment.name or "").name[:255]
        contribution.attachment_type = media_type
        # Stored under our own name and extension: the uploaded name is only shown, never trusted.
        contribution.attachment.save(
            f"{contribution.tracking_number}.{extension}", ContentFile(data), save=False
        )
    contribution.full_clean()
    contribution.save()
    ContributionRevision.objects.create(
        contribution=contribution, number=1, title=heading, body=text, created_at=now
    )
    append_entry(
        process=process, kind="contribution.submitted", payload=contribution_payload(contribution)
    )
    _send_receipt(contribution)
    return contribution


def _send_receipt(contribution: Contribution) -> None:
    number = contribution.tracking_number
    late = _(" It arrived after the deadline and is marked late.") if contribution.is_late else ""
    notify(
        recipients=[contribution.author],
        subject=_("Receipt for your contribution %(number)s") % {"number": number},
        body=_(
            "Thank you. Your contribution to “%(process)s” was received with the tracking "
            "number %(number)s.%(late)s Keep this number to follow what becomes of it."
        )
        % {"process": contribution.process.title, "number": number, "late": late},
        url=contribution.get_absolute_url(),
    )


@transaction.atomic
def edit_contribution(
    *, author: User, contribution: Contribution, body: str, title: str | None = None
) -> Contribution:
    """Change the text while the phase is open; every earlier text stays as a revision."""
    now = timezone.now()
    require(
        can_edit_contribution(author, contribution, now),
        _("Only its author can edit a contribution, and only while the phase is open."),
    )
    text = _clean_body(body)
    heading = contribution.title if title is None else _clean_title(title)
    if (text, heading) == (contribution.body, contribution.title):
        raise ValidationError({"body": _("Nothing was changed.")})
    last = contribution.revisions.order_by("-number").first()
    number = (last.number if last else 0) + 1
    contribution.body, contribution.title = text, heading
    contribution.full_clean()
    contribution.save(update_fields=["body", "title", "updated_at"])
    ContributionRevision.objects.create(
        contribution=contribution, number=number, title=heading, body=text, created_at=now
    )
    append_entry(
        process=contribution.process,
        kind="contribution.edited",
        payload={**contribution_payload(contribution), "revision": number},
    )
    return contribution


def _check_changed_sections(contribution: Contribution, sections: list[Section]) -> None:
    """Linked changes must be in a later version of the draft the contribution was about."""
    base = contribution.draft_version
    for section in sections:
        version = section.version
        if base is not None:
            ok = version.draft_id == base.draft_id and version.number > base.number
        else:
            ok = (
                version.draft.process_id == contribution.process_id
                and version.published_at >= contribution.created_at
            )
        if not ok:
            raise ValidationError(
                {
                    "changed_sections": _(
                        "Linked changes must be sections of a later version of the same draft "
                        "(%(section)s is not)."
                    )
                    % {"section": section}
                }
            )


def _clean_disposition(
    contribution: Contribution, outcome: str, reason: str, duplicate_of: Contribution | None
) -> str:
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an answer.")})
    text = normalize_whitespace(reason or "")
    if not text and outcome != Outcome.INCORPORATED:
        raise ValidationError(
            {"reason": _("Give a reason: only fully incorporated inputs may go without one.")}
        )
    if outcome == Outcome.DUPLICATE:
        if duplicate_of is None:
            raise ValidationError({"duplicate_of": _("Say which contribution this duplicates.")})
        if duplicate_of.process_id != contribution.process_id or duplicate_of.pk == contribution.pk:
            raise ValidationError(
                {
                    "duplicate_of": _(
                        "A duplicate must point to another contribution in this process."
                    )
                }
            )
    elif duplicate_of is not None:
        raise ValidationError({"duplicate_of": _("Only duplicates point to another contribution.")})
    return text


@transaction.atomic
def record_disposition(
    *,
    actor: User,
    contribution: Contribution,
    outcome: str,
    reason: str,
    duplicate_of: Contribution | None = None,
    changed_sections: Iterable[Section] = (),
) -> Disposition:
    """Publish the secretariat's answer; answering again keeps the previous one as a revision."""
    require(
        can_dispose(actor, contribution.process), _("Only the secretariat answers contributions.")
    )
    text = _clean_disposition(contribution, outcome, reason, duplicate_of)
    sections = list(changed_sections)
    _check_changed_sections(contribution, sections)
    disposition = Disposition.objects.filter(contribution=contribution).first()
    if disposition is not None:
        DispositionRevision.objects.create(
            disposition=disposition,
            outcome=disposition.outcome,
            reason=disposition.reason,
            decided_at=disposition.updated_at,
        )
    else:
        disposition = Disposition(contribution=contribution)
    disposition.outcome, disposition.reason = outcome, text
    disposition.duplicate_of, disposition.decided_by = duplicate_of, actor
    disposition.full_clean()
    disposition.save()
    disposition.changed_sections.set(sections)
    append_entry(
        process=contribution.process,
        kind="disposition.recorded",
        payload={
            "tracking_number": contribution.tracking_number,
            "outcome": outcome,
            "reason": text,
            "duplicate_of": duplicate_of.tracking_number if duplicate_of else None,
            "changed_sections": [
                {"version": s.version.number, "section": s.anchor} for s in sections
            ],
            "revision": disposition.revisions.count() + 1,
        },
    )
    notify(
        recipients=[contribution.author],
        subject=_("Your contribution %(number)s was answered")
        % {"number": contribution.tracking_number},
        body=_("The secretariat answered: %(outcome)s.\n\n%(reason)s")
        % {"outcome": Outcome(outcome).label, "reason": text},
        url=contribution.get_absolute_url(),
    )
    return disposition


@transaction.atomic
def hide_contribution(*, actor: User, contribution: Contribution, reason: str) -> Contribution:
    """Moderation hides with a published reason and tells the author; nothing is deleted."""
    require(can_moderate(actor, contribution.process), _("Only the secretariat moderates."))
    text = normalize_whitespace(reason or "")
    if not text:
        raise ValidationError({"reason": _("Give the reason for hiding this contribution.")})
    if contribution.hidden_at is not None:
        raise ValidationError(_("This contribution is already hidden."))
    contribution.hidden_at, contribution.hidden_reason = timezone.now(), text
    contribution.save(update_fields=["hidden_at", "hidden_reason", "updated_at"])
    append_entry(
        process=contribution.process,
        kind="contribution.hidden",
        payload={"tracking_number": contribution.tracking_number, "reason": text},
    )
    notify(
        recipients=[contribution.author],
        subject=_("Your contribution %(number)s was hidden")
        % {"number": contribution.tracking_number},
        body=_("Reason given by the secretariat: %(reason)s") % {"reason": text},
        url=contribution.get_absolute_url(),
    )
    return contribution
