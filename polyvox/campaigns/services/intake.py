"""The intake: every submission arrives here (web form, API, import), with how it arrived.

Idempotency keys make a retried request harmless; the e-mail domain and /24 network are kept as
secretariat-only signals (`selectors.abuse_signals`), never the whole address.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from polyvox.campaigns.addresses import email_domain_of, network_block
from polyvox.campaigns.models import Source, SubmissionIntake
from polyvox.contributions.models import Contribution, ContributionKind
from polyvox.contributions.services.submitting import submit_contribution
from polyvox.core.text import refuse_unstorable
from polyvox.drafts.models import DraftVersion, Section
from polyvox.organisations.models import Organisation
from polyvox.participants.models import User
from polyvox.processes.models import Process

MAX_KEY_CHARS = SubmissionIntake._meta.get_field("idempotency_key").max_length or 0
MAX_EXTERNAL_ID_CHARS = SubmissionIntake._meta.get_field("external_id").max_length or 0


def clean_external_id(value: str | None) -> str:
    """The source system's id, trimmed; refused (never cut) when longer than the column."""
    text = (value or "").strip()
    refuse_unstorable(text, "external_id")
    if len(text) > MAX_EXTERNAL_ID_CHARS:
        raise ValidationError(
            {
                "external_id": _("The external id is longer than %d characters.")
                % MAX_EXTERNAL_ID_CHARS
            }
        )
    return text


@dataclass(frozen=True)
class Received:
    """The submission, and whether this call created it (False: an idempotent replay)."""

    contribution: Contribution
    created: bool


def _replay(process: Process, key: str, author: User) -> Contribution | None:
    intake = (
        SubmissionIntake.objects.select_related(
            "contribution__on_behalf_of", "contribution__record_entry"
        )
        .filter(process=process, idempotency_key=key)
        .first()
    )
    if intake is None:
        return None
    if intake.contribution.author_id != author.pk:
        raise ValidationError(
            {"idempotency_key": _("This idempotency key was already used by someone else.")}
        )
    return intake.contribution


def _external_id_taken(process: Process, external: str) -> bool:
    # One row at most, found through the unique index on (process, external_id).
    return SubmissionIntake.objects.filter(process=process, external_id=external).exists()


def receive_submission(
    *,
    author: User,
    process: Process,
    text: str,
    source: str = Source.WEB,
    title: str = "",
    idempotency_key: str | None = None,
    external_id: str | None = None,
    email_domain: str = "",
    network: str = "",
    on_behalf_of: Organisation | None = None,
    draft_version: DraftVersion | None = None,
    section: Section | None = None,
    attachment: File[Any] | None = None,
    publication: str = "named",
) -> Received:
    """Accept a submission through `submit_contribution` and record how it arrived.

    The same idempotency key (per process, same author) returns the first submission instead of
    creating a second one, so a retried request is harmless. Nothing here locks or counts: two
    requests racing with one key meet at the unique index on (process, key), and the loser answers
    with the winner's submission.
    """
    key = (idempotency_key or "").strip()
    refuse_unstorable(key, "idempotency_key")
    if len(key) > MAX_KEY_CHARS:
        raise ValidationError({"idempotency_key": _("Keep the key under 200 characters.")})
    if source not in Source.values:
        raise ValidationError({"source": _("Unknown source.")})
    if key and (existing := _replay(process, key, author)) is not None:
        return Received(existing, False)
    external = clean_external_id(external_id)
    if external and _external_id_taken(process, external):
        raise ValidationError({"external_id": _("A submission with this external id exists.")})
    domain, block = email_domain_of(email_domain), network_block(network)
    try:
        with transaction.atomic():
            contribution = submit_contribution(
                author=author,
                process=process,
                kind=ContributionKind.SUBMISSION,
                body=text,
                title=title,
                on_behalf_of=on_behalf_of,
                draft_version=draft_version,
                section=section,
                attachment=attachment,
                publication=publication,
            )
            SubmissionIntake.objects.create(
                process=process,
                contribution=contribution,
                source=source,
                external_id=external,
                idempotency_key=key,
                email_domain=domain,
                network=block,
                submitted_at=contribution.created_at,
            )
    except IntegrityError:
        # Two requests with one key raced; the first one won and is the answer to both.
        existing = _replay(process, key, author) if key else None
        if existing is not None:
            return Received(existing, False)
        if external and _external_id_taken(process, external):
            raise ValidationError(
                {"external_id": _("A submission with this external id exists.")}
            ) from None
        raise
    return Received(contribution, True)
