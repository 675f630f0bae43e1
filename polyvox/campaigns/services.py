"""Writes for mass submissions: intake with idempotency, campaign detection and the secretariat's
decisions on campaigns (confirm, split, merge, answer as a whole). Bulk import is in `importing`.
"""

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.analytics.near_duplicates import (
    DEFAULT_THRESHOLD,
    group_near_duplicates,
    unique_additions,
)
from polyvox.campaigns.addresses import email_domain_of, network_block
from polyvox.campaigns.importing import import_submissions
from polyvox.campaigns.models import (
    Campaign,
    CampaignMembership,
    CampaignStatus,
    Source,
    SubmissionIntake,
)
from polyvox.campaigns.permissions import can_manage_campaigns
from polyvox.contributions.models import (
    Contribution,
    ContributionKind,
    Disposition,
    DispositionRevision,
    Outcome,
)
from polyvox.contributions.permissions import can_dispose
from polyvox.contributions.services import submit_contribution
from polyvox.core.permissions import require
from polyvox.core.text import normalize_whitespace
from polyvox.drafts.models import DraftVersion, Section
from polyvox.notifications.services import notify
from polyvox.participants.models import User
from polyvox.processes.models import Process
from polyvox.record.services import append_entry

__all__ = [
    "Received",
    "answer_campaign",
    "confirm_campaign",
    "detect_campaigns",
    "import_submissions",
    "members_digest",
    "merge_campaigns",
    "network_block",
    "receive_submission",
    "request_detection",
    "split_campaign",
]

MAX_KEY_CHARS = 200


# Intake ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    """The submission, and whether this call created it (False: an idempotent replay)."""

    contribution: Contribution
    created: bool


def _replay(process: Process, key: str, author: User) -> Contribution | None:
    intake = (
        SubmissionIntake.objects.select_related("contribution")
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
    on_behalf_of_organisation: bool = False,
    draft_version: DraftVersion | None = None,
    section: Section | None = None,
    attachment: File[Any] | None = None,
) -> Received:
    """Accept a submission through `submit_contribution` and record how it arrived.

    The same idempotency key (per process, same author) returns the first submission instead of
    creating a second one, so a retried request is harmless.
    """
    key = (idempotency_key or "").strip()
    if len(key) > MAX_KEY_CHARS:
        raise ValidationError({"idempotency_key": _("Keep the key under 200 characters.")})
    if source not in Source.values:
        raise ValidationError({"source": _("Unknown source.")})
    if key and (existing := _replay(process, key, author)) is not None:
        return Received(existing, False)
    external = (external_id or "").strip()[:200]
    if external and SubmissionIntake.objects.filter(process=process, external_id=external).exists():
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
                on_behalf_of_organisation=on_behalf_of_organisation,
                draft_version=draft_version,
                section=section,
                attachment=attachment,
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
        if existing is None:
            raise
        return Received(existing, False)
    return Received(contribution, True)


# Campaigns -------------------------------------------------------------------------------------


def _additions(template_text: str, bodies: Sequence[str]) -> list[str]:
    """Each body's own words beyond the template; identical bodies are computed once."""
    cache: dict[str, str] = {template_text: ""}
    out = []
    for body in bodies:
        if body not in cache:
            cache[body] = unique_additions(template_text, body)
        out.append(cache[body])
    return out


def _campaign_payload(campaign: Campaign) -> dict[str, object]:
    """Public facts about a campaign for the record: no names, no signals data."""
    return {
        "campaign": campaign.pk,
        "template": campaign.template.tracking_number,
        "size": campaign.size,
        "status": campaign.status,
    }


@transaction.atomic
def detect_campaigns(
    *, actor: User, process: Process, threshold: float = DEFAULT_THRESHOLD
) -> list[Campaign]:
    """Cluster the process's visible submissions into campaigns, largest first.

    Re-running replaces the detected (unconfirmed) campaigns; confirmed campaigns and their
    members are kept as the secretariat left them.
    """
    require(can_manage_campaigns(actor, process), _("Only the secretariat detects campaigns."))
    Process.objects.select_for_update().filter(pk=process.pk).first()
    Campaign.objects.filter(process=process, status=CampaignStatus.DETECTED).delete()
    rows = list(
        Contribution.objects.public()
        .filter(process=process, kind=ContributionKind.SUBMISSION, campaign_membership=None)
        .order_by("id")
        .values_list("id", "body")
    )
    bodies = [body for _, body in rows]
    groups = group_near_duplicates(bodies, [str(pk) for pk, _ in rows], threshold=threshold)
    parameters = {
        "threshold": groups.threshold,
        "num_perm": groups.num_perm,
        "shingle_size": groups.shingle_size,
        "seed": groups.seed,
    }
    campaigns: list[Campaign] = []
    for cluster in groups.clusters:
        if cluster.size < 2:
            continue
        campaign = Campaign.objects.create(
            process=process,
            template_id=rows[cluster.template_index][0],
            size=cluster.size,
            parameters=parameters,
        )
        members = list(cluster.member_indices)
        additions = _additions(bodies[cluster.template_index], [bodies[i] for i in members])
        CampaignMembership.objects.bulk_create(
            (
                CampaignMembership(
                    campaign=campaign,
                    contribution_id=rows[i][0],
                    unique_addition=addition,
                    similarity=None
                    if math.isnan(groups.similarity[i])
                    else float(groups.similarity[i]),
                )
                for i, addition in zip(members, additions, strict=True)
            ),
            batch_size=1000,
        )
        campaigns.append(campaign)
    append_entry(
        process=process,
        kind="campaigns.detected",
        payload={
            "submissions_considered": len(rows),
            "campaigns": len(campaigns),
            "submissions_in_campaigns": sum(c.size for c in campaigns),
            "parameters": parameters,
        },
    )
    return campaigns


def request_detection(*, actor: User, process: Process) -> None:
    """Queue `detect_campaigns` as a background task (django-tasks), after the commit."""
    require(can_manage_campaigns(actor, process), _("Only the secretariat detects campaigns."))
    from polyvox.campaigns.tasks import detect_campaigns_task

    transaction.on_commit(lambda: detect_campaigns_task.enqueue(process.pk, actor.pk))


@transaction.atomic
def confirm_campaign(*, actor: User, campaign: Campaign) -> Campaign:
    """The secretariat agrees these submissions are one campaign; detection will keep it."""
    require(
        can_manage_campaigns(actor, campaign.process),
        _("Only the secretariat confirms campaigns."),
    )
    if campaign.status == CampaignStatus.CONFIRMED:
        raise ValidationError(_("This campaign is already confirmed."))
    campaign.status = CampaignStatus.CONFIRMED
    campaign.save(update_fields=["status"])
    append_entry(
        process=campaign.process, kind="campaign.confirmed", payload=_campaign_payload(campaign)
    )
    return campaign


def _regroup(campaign: Campaign, template: Contribution, members: list[CampaignMembership]) -> None:
    """Point `members` at `campaign` with `template`, recomputing what each one added."""
    bodies = list(
        Contribution.objects.filter(pk__in=[m.contribution_id for m in members])
        .order_by()
        .values_list("id", "body")
    )
    body_of = dict(bodies)
    additions = _additions(template.body, [body_of[m.contribution_id] for m in members])
    for membership, addition in zip(members, additions, strict=True):
        membership.campaign = campaign
        membership.unique_addition = addition
        if membership.contribution_id == template.pk:
            membership.similarity = 1.0
    CampaignMembership.objects.bulk_update(
        members, ["campaign", "unique_addition", "similarity"], batch_size=1000
    )
    campaign.template = template
    campaign.size = CampaignMembership.objects.filter(campaign=campaign).count()
    campaign.status = CampaignStatus.CONFIRMED
    campaign.save(update_fields=["template", "size", "status"])


@transaction.atomic
def split_campaign(
    *, actor: User, campaign: Campaign, contribution_ids: Iterable[int]
) -> list[Campaign]:
    """Move the given members out into a campaign of their own; both parts become confirmed.

    A part left with a single submission is no campaign: that submission stands alone again.
    Returns the campaigns that remain (zero, one or two).
    """
    process = campaign.process
    require(can_manage_campaigns(actor, process), _("Only the secretariat splits campaigns."))
    ids = set(contribution_ids)
    memberships = list(campaign.memberships.select_related("contribution"))
    moving = [m for m in memberships if m.contribution_id in ids]
    staying = [m for m in memberships if m.contribution_id not in ids]
    if not moving or len(moving) != len(ids):
        raise ValidationError(
            {"contribution_ids": _("Choose submissions that are members of this campaign.")}
        )
    if not staying:
        raise ValidationError(
            {"contribution_ids": _("Leave at least one submission in the campaign.")}
        )
    result: list[Campaign] = []
    new = Campaign(process=process, template=moving[0].contribution, parameters=campaign.parameters)
    # The part that moves first, so the remaining campaign's size is counted after it left.
    for part, target in ((moving, new), (staying, campaign)):
        if len(part) < 2:
            CampaignMembership.objects.filter(pk__in=[m.pk for m in part]).delete()
            continue
        if target.pk is None:
            target.save()
        ids_in_part = {m.contribution_id for m in part}
        template = target.template if target.template_id in ids_in_part else part[0].contribution
        _regroup(target, template, part)
        result.insert(0 if target is campaign else len(result), target)
    if campaign not in result:
        campaign.delete()
    append_entry(
        process=process,
        kind="campaign.split",
        payload={
            "campaign": campaign.pk,
            "moved": sorted(m.contribution.tracking_number for m in moving),
            "campaigns": [_campaign_payload(c) for c in result],
        },
    )
    return result


@transaction.atomic
def merge_campaigns(*, actor: User, campaigns: Sequence[Campaign]) -> Campaign:
    """Join campaigns into the largest one, under its template; the result is confirmed."""
    unique = list({c.pk: c for c in campaigns}.values())
    if not unique:
        raise ValidationError({"campaigns": _("Choose at least two campaigns to merge.")})
    process = unique[0].process
    require(can_manage_campaigns(actor, process), _("Only the secretariat merges campaigns."))
    if len(unique) < 2:
        raise ValidationError({"campaigns": _("Choose at least two campaigns to merge.")})
    if any(c.process_id != process.pk for c in unique):
        raise ValidationError({"campaigns": _("Campaigns of different processes cannot merge.")})
    target = max(unique, key=lambda c: (c.size, -c.pk))
    others = [c for c in unique if c.pk != target.pk]
    moving = list(CampaignMembership.objects.filter(campaign__in=others))
    _regroup(target, target.template, moving)
    merged = [c.pk for c in others]
    Campaign.objects.filter(pk__in=merged).delete()
    append_entry(
        process=process,
        kind="campaign.merged",
        payload={**_campaign_payload(target), "merged": merged},
    )
    return target


def _answer_reason(outcome: str, reason: str) -> str:
    """The disposition rules of `record_disposition`, applied once for the whole campaign."""
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an answer.")})
    if outcome == Outcome.DUPLICATE:
        raise ValidationError(
            {"outcome": _("A campaign is answered on its substance, not as a duplicate.")}
        )
    text = normalize_whitespace(reason or "")
    if not text and outcome != Outcome.INCORPORATED:
        raise ValidationError(
            {"reason": _("Give a reason: only fully incorporated inputs may go without one.")}
        )
    return text


def members_digest(tracking_numbers: Iterable[str]) -> str:
    """SHA-256 of the sorted tracking numbers, one per line (UTF-8, no final newline)."""
    return hashlib.sha256("\n".join(sorted(tracking_numbers)).encode("utf-8")).hexdigest()


@transaction.atomic
def answer_campaign(*, actor: User, campaign: Campaign, outcome: str, reason: str) -> int:
    """One answer for the whole campaign: each member gets that disposition. Returns the count.

    Written in bulk: a member answered before keeps its earlier answer as a revision, as with
    `record_disposition`. The public record gets one `campaign.answered` entry (the member count
    and `members_digest` of their tracking numbers), not one entry per member; the members'
    authors get one notification each, linking to the campaign.
    """
    process = campaign.process
    require(can_manage_campaigns(actor, process), _("Only the secretariat answers campaigns."))
    require(can_dispose(actor, process), _("Only the secretariat answers contributions."))
    text = _answer_reason(outcome, reason)
    Process.objects.select_for_update().filter(pk=process.pk).first()
    members = Contribution.objects.filter(campaign_membership__campaign=campaign).order_by()
    answered = Disposition.objects.filter(contribution__in=members.values("pk")).order_by()
    DispositionRevision.objects.bulk_create(
        (
            DispositionRevision(disposition_id=pk, outcome=o, reason=r, decided_at=at)
            for pk, o, r, at in answered.values_list("pk", "outcome", "reason", "updated_at")
        ),
        batch_size=1000,
    )
    Disposition.changed_sections.through.objects.filter(
        disposition__in=answered.values("pk")
    ).delete()
    now = timezone.now()
    answered.update(
        outcome=outcome, reason=text, duplicate_of=None, decided_by=actor, updated_at=now
    )
    Disposition.objects.bulk_create(
        (
            Disposition(
                contribution_id=pk, outcome=outcome, reason=text, decided_by=actor,
                created_at=now, updated_at=now,
            )
            for pk in members.filter(disposition__isnull=True).values_list("pk", flat=True)
        ),
        batch_size=1000,
    )  # fmt: skip
    numbers = list(members.values_list("tracking_number", flat=True))
    append_entry(
        process=process,
        kind="campaign.answered",
        payload={
            **_campaign_payload(campaign),
            "outcome": outcome,
            "reason": text,
            "members": len(numbers),
            "members_sha256": members_digest(numbers),
        },
    )
    notify(
        recipients=User.objects.filter(contributions__in=members.values("pk")).distinct(),
        subject=_("A campaign you took part in was answered"),
        body=_("The secretariat answered the campaign as a whole: %(outcome)s.\n\n%(reason)s")
        % {"outcome": Outcome(outcome).label, "reason": text},
        url=reverse("campaigns:detail", kwargs={"slug": process.slug, "campaign_id": campaign.pk}),
    )
    return len(numbers)
