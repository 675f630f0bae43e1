"""Submitting and editing contributions: the one write path for every kind (submissions arrive
through the intake in `campaigns`, which calls `submit_contribution`)."""

from datetime import datetime
from pathlib import PurePath
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from polyvox.contributions.attachments import ACCEPTED, detect_type
from polyvox.contributions.bylines import Byline, chosen_byline, public_byline
from polyvox.contributions.models import Contribution, ContributionKind, ContributionRevision
from polyvox.contributions.permissions import ACTION_FOR_KIND, can_edit_contribution
from polyvox.contributions.services.moderation import hold_if_premoderated
from polyvox.contributions.services.rules import (
    body_digest,
    clean_body,
    clean_title,
    format_tracking_number,
)
from polyvox.core.permissions import require
from polyvox.core.timezones import utc_minute
from polyvox.drafts.models import DraftVersion, Section
from polyvox.drafts.selectors import current_version
from polyvox.notifications.models import NotificationKind
from polyvox.notifications.services import notify
from polyvox.organisations.models import Organisation
from polyvox.organisations.permissions import can_speak_for
from polyvox.participants.languages import normalize_language_code
from polyvox.participants.models import Profile, User
from polyvox.participants.selectors import profile_to_take_part
from polyvox.processes.models import ModerationMode, Process
from polyvox.processes.permissions import participation_window
from polyvox.processes.selectors import localized_process
from polyvox.record.models import RecordEntry
from polyvox.record.services import append_entry


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
    if draft_version is not None and draft_version.published_at is None:
        raise ValidationError({"draft_version": _("This version of the draft is not published.")})
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


def contribution_payload(contribution: Contribution) -> dict[str, object]:
    """What the public record says about a contribution: public fields and a digest only."""
    return {
        "tracking_number": contribution.tracking_number,
        "kind": contribution.kind,
        "draft": contribution.draft_version.draft.slug if contribution.draft_version else None,
        "version": contribution.draft_version.number if contribution.draft_version else None,
        "section": contribution.section.anchor if contribution.section else None,
        "parent": contribution.parent.tracking_number if contribution.parent else None,
        "stakeholder_group": contribution.stakeholder_group,
        "organisation": contribution.organisation if contribution.on_behalf_of_organisation else "",
        **_on_behalf_payload(contribution),
        "is_late": contribution.is_late,
        "body_sha256": body_digest(contribution.body),
    }


def _on_behalf_payload(contribution: Contribution) -> dict[str, object]:
    """The slug of the organisation an input speaks for (its name then is `organisation`)."""
    organisation = contribution.on_behalf_of
    return {} if organisation is None else {"organisation_slug": organisation.slug}


def _check_on_behalf(author: User, organisation: Organisation) -> None:
    """Only an approved representative speaks for an organisation, and never for a merged one."""
    if organisation.merged_into_id is not None:
        raise ValidationError(
            {
                "on_behalf_of": _(
                    "%(organisation)s was merged into another organisation; post on behalf of "
                    "that one instead."
                )
                % {"organisation": organisation.name}
            }
        )
    if not can_speak_for(author, organisation):
        raise ValidationError(
            {
                "on_behalf_of": _("You are not an approved representative of %(organisation)s.")
                % {"organisation": organisation.name}
            }
        )


def _site_languages() -> list[str]:
    return [code for code, _label in settings.LANGUAGES]


def default_input_language(profile: Profile | None) -> str:
    """The language an input is taken to be written in unless its author says otherwise: the
    first of the author's languages the site has (Profile.languages), else the language of the
    page they write on, else the site's."""
    site = _site_languages()
    for declared in (profile.languages or []) if profile is not None else []:
        code = normalize_language_code(str(declared))
        if code in site:
            return code
    active = normalize_language_code(get_language() or "")
    for code in (active, active.split("-", 1)[0]):
        if code in site:
            return code
    return str(settings.LANGUAGE_CODE)


def input_language(language: str | None, profile: Profile | None) -> str:
    """The language to store: the one chosen (a code of settings.LANGUAGES, else refused), or the
    default above when none is given."""
    if not (language or "").strip():
        return default_input_language(profile)
    code = normalize_language_code(str(language))
    if code not in _site_languages():
        raise ValidationError(
            {
                "language": _("Choose one of the languages: %(codes)s.")
                % {"codes": ", ".join(_site_languages())}
            }
        )
    return code


_CHECKED_ABOVE = ["process", "author", "draft_version", "section", "parent", "on_behalf_of"]


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
    on_behalf_of: Organisation | None = None,
    attachment: File[Any] | None = None,
    publication: str = Byline.NAMED,
    language: str | None = None,
) -> Contribution:
    """Accept an input (marked late where the process allows it), store revision 1, e-mail a receipt.

    With `on_behalf_of`, the input speaks for that organisation: only its approved representatives
    may post so, and the byline keeps the organisation's name as it is now. Without it, the byline
    keeps the profile's free-text affiliation, which is not shown as speaking for anyone.

    `publication` (`bylines.Byline`): under the author's name, their alias or anonymously, where
    the process's identity policy allows pseudonyms (refused otherwise); the public byline
    `author_name` is that choice, the stakeholder group and country stay declared (docs/identity.md).

    Submissions to one process never wait on each other: no row is locked and nothing is counted.
    The tracking number comes from the new row's primary key (unique and increasing, with gaps
    where a transaction rolled back); the record entry is appended pending, and
    `contribution.record_entry` names it for the receipt.

    `language` is the language the input is written in (`input_language`): the author's choice,
    else their profile's first language, else the page's."""
    if kind not in ACTION_FOR_KIND:
        raise ValidationError({"kind": _("Unknown kind of contribution.")})
    now = timezone.now()
    window = participation_window(author, process, ACTION_FOR_KIND[kind], now)
    require(window.allowed, window.reason)
    profile = profile_to_take_part(author)
    text, heading = clean_body(body), clean_title(title)
    written_in = input_language(language, profile)
    draft_version, section = _anchor(
        process=process, kind=kind, section=section, draft_version=draft_version, parent=parent
    )
    if on_behalf_of is not None:
        _check_on_behalf(author, on_behalf_of)
    checked = _check_attachment(attachment, kind) if attachment is not None else None
    byline, published = chosen_byline(
        process=process,
        profile=profile,
        choice=publication,
        speaks_for_organisation=on_behalf_of is not None,
    )

    contribution = Contribution(
        process=process,
        kind=kind,
        draft_version=draft_version,
        section=section,
        parent=parent,
        author=author,
        author_name=byline,
        publication=published,
        stakeholder_group=profile.stakeholder_group,
        country=profile.country,
        organisation=on_behalf_of.name if on_behalf_of is not None else profile.organisation,
        on_behalf_of_organisation=on_behalf_of is not None,
        on_behalf_of=on_behalf_of,
        title=heading,
        body=text,
        language=written_in,
        # Unique and never committed: replaced below, in this transaction, by the number drawn
        # from the primary key. Nothing is locked and nothing is counted.
        tracking_number=uuid4().hex,
        is_late=window.late,
    )
    # The unique index decides, not a SELECT; the related rows are in hand, checked above.
    contribution.full_clean(exclude=_CHECKED_ABOVE, validate_unique=False)
    contribution.save()
    contribution.tracking_number = format_tracking_number(process.pk, contribution.pk)
    changed: dict[str, Any] = {"tracking_number": contribution.tracking_number}
    if checked is not None and attachment is not None:
        data, extension, media_type = checked
        contribution.attachment_name = PurePath(attachment.name or "").name[:255]
        contribution.attachment_type = media_type
        # Stored under our own name and extension: the uploaded name is only shown, never trusted.
        contribution.attachment.save(
            f"{contribution.tracking_number}.{extension}", ContentFile(data), save=False
        )
        changed |= {
            "attachment": contribution.attachment.name,
            "attachment_name": contribution.attachment_name,
            "attachment_type": contribution.attachment_type,
        }
    ContributionRevision.objects.create(
        contribution=contribution, number=1, title=heading, body=text, created_at=now
    )
    entry = append_entry(
        process=process, kind="contribution.submitted", payload=contribution_payload(contribution)
    )
    contribution.record_entry = changed["record_entry"] = entry
    Contribution.objects.filter(pk=contribution.pk).update(**changed)
    hold_if_premoderated(contribution)  # pre-moderation (polyvox.moderation)
    _send_receipt(contribution, entry)
    _notify_reply(contribution)
    return contribution


def _notify_reply(reply: Contribution) -> None:
    """Tell the author of the input replied to (not themself; not before a moderator lets a
    pre-moderated reply through). The byline is the public one: an alias stays an alias."""
    parent = reply.parent
    if parent is None or parent.author_id == reply.author_id or reply.hidden_at is not None:
        return
    if reply.process.moderation_mode == ModerationMode.PRE:
        return
    excerpt = reply.body if len(reply.body) <= 500 else reply.body[:500] + "…"

    # In the language of the author replied to; the reply itself stays as written.
    def compose(language: str) -> tuple[str, str]:
        subject = _("%(name)s replied to your input %(number)s") % {
            "name": public_byline(reply),
            "number": parent.tracking_number,
        }
        body = _("A reply to your input %(number)s in “%(process)s”:") % {
            "number": parent.tracking_number,
            "process": localized_process(reply.process, language).title,
        }
        return subject, body + "\n\n" + excerpt

    notify(
        recipients=[parent.author],
        compose=compose,
        url=reply.get_absolute_url(),
        kind=NotificationKind.REPLY,
        process=reply.process,
    )


def _send_receipt(contribution: Contribution, entry: RecordEntry) -> None:
    """The receipt names the input's public record entry and links to the receipt page, which
    shows where that entry stands in the log (and, once it is signed, its inclusion proof)."""
    number = contribution.tracking_number
    late = _(" It arrived after the deadline and is marked late.") if contribution.is_late else ""
    receipt = reverse(
        "contributions:receipt",
        kwargs={"slug": contribution.process.slug, "tracking_number": number},
    )
    notify(
        recipients=[contribution.author],
        subject=_("Receipt for your contribution %(number)s") % {"number": number},
        body=_(
            "Thank you. Your contribution to “%(process)s” was received with the tracking "
            "number %(number)s.%(late)s Keep this number to follow what becomes of it."
        )
        % {"process": contribution.process.title, "number": number, "late": late}
        + "\n\n"
        + _(
            "Public record entry: %(kind)s for %(number)s, accepted at %(accepted)s UTC. It enters "
            "the process's signed public log within %(delay)d seconds; your receipt page then "
            "links to the proof that it is there: %(receipt)s"
        )
        % {
            "kind": entry.kind,
            "number": number,
            "accepted": utc_minute(datetime.fromisoformat(entry.recorded_at)),
            "delay": settings.POLYVOX_RECORD_MAX_MERGE_DELAY,
            "receipt": f"{settings.SITE_URL}{receipt}",
        },
        url=contribution.get_absolute_url(),
    )


@transaction.atomic
def edit_contribution(
    *,
    author: User,
    contribution: Contribution,
    body: str,
    title: str | None = None,
    language: str | None = None,
) -> Contribution:
    """Change the text while the phase is open; every earlier text stays as a revision. A
    language given corrects the one the input is marked as written in."""
    now = timezone.now()
    require(
        can_edit_contribution(author, contribution, now),
        _("Only its author can edit a contribution, and only while the phase is open."),
    )
    text = clean_body(body)
    heading = contribution.title if title is None else clean_title(title)
    written_in = contribution.language if not language else input_language(language, None)
    if (text, heading, written_in) == (
        contribution.body,
        contribution.title,
        contribution.language,
    ):
        raise ValidationError({"body": _("Nothing was changed.")})
    if written_in != contribution.language:
        contribution.language = written_in
        contribution.save(update_fields=["language", "updated_at"])
        if (text, heading) == (contribution.body, contribution.title):
            return contribution
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
