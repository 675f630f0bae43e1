"""The secretariat's decisions on campaigns: confirm, split, merge, and answer as a whole."""

import hashlib
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from polyvox.campaigns.models import Campaign, CampaignMembership, CampaignStatus
from polyvox.campaigns.services.detection import additions_beyond
from polyvox.contributions.models import Contribution, Outcome
from polyvox.contributions.permissions import can_dispose
from polyvox.contributions.services.dispositions import answer_inputs
from polyvox.core.permissions import require
from polyvox.notifications.services import notify
from polyvox.participants.models import User
from polyvox.record.services import append_entry


def campaign_payload(campaign: Campaign) -> dict[str, object]:
    """Public facts about a campaign for the record: no names, no signals data."""
    return {
        "campaign": campaign.pk,
        "template": campaign.template.tracking_number,
        "size": campaign.size,
        "status": campaign.status,
    }


@transaction.atomic
def confirm_campaign(*, actor: User, campaign: Campaign) -> Campaign:
    """The secretariat agrees these submissions are one campaign; detection will keep it."""
    require(
        can_dispose(actor, campaign.process),
        _("Only those who answer inputs may confirm campaigns."),
    )
    if campaign.status == CampaignStatus.CONFIRMED:
        raise ValidationError(_("This campaign is already confirmed."))
    campaign.status = CampaignStatus.CONFIRMED
    campaign.save(update_fields=["status"])
    append_entry(
        process=campaign.process, kind="campaign.confirmed", payload=campaign_payload(campaign)
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
    additions = additions_beyond(template.body, [body_of[m.contribution_id] for m in members])
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
    require(can_dispose(actor, process), _("Only those who answer inputs may split campaigns."))
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
            "campaigns": [campaign_payload(c) for c in result],
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
    require(can_dispose(actor, process), _("Only those who answer inputs may merge campaigns."))
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
        payload={**campaign_payload(target), "merged": merged},
    )
    return target


def members_digest(tracking_numbers: Iterable[str]) -> str:
    """SHA-256 of the sorted tracking numbers, one per line (UTF-8, no final newline)."""
    return hashlib.sha256("\n".join(sorted(tracking_numbers)).encode("utf-8")).hexdigest()


@transaction.atomic
def answer_campaign(*, actor: User, campaign: Campaign, outcome: str, reason: str) -> int:
    """One answer for the whole campaign: each member gets that disposition. Returns the count.

    Written by `answer_inputs`, the one disposition writer (a member answered before keeps its
    earlier answer as a revision). The public record gets one `campaign.answered` entry (the
    member count and `members_digest` of their tracking numbers), not one entry per member; the
    members' authors get one notification each, linking to the campaign.
    """
    process = campaign.process
    require(can_dispose(actor, process), _("Only those who answer inputs may answer campaigns."))
    if outcome == Outcome.DUPLICATE:
        raise ValidationError(
            {"outcome": _("A campaign is answered on its substance, not as a duplicate.")}
        )
    members = Contribution.objects.filter(campaign_membership__campaign=campaign).order_by()
    text = answer_inputs(
        actor=actor, process=process, inputs=members, outcome=outcome, reason=reason
    )
    numbers = list(members.values_list("tracking_number", flat=True))
    append_entry(
        process=process,
        kind="campaign.answered",
        payload={
            **campaign_payload(campaign),
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
