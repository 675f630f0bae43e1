"""Campaign detection: near-duplicate submissions grouped by the analytics engine, off the request."""

import math
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from polyvox.analytics.near_duplicates import (
    DEFAULT_THRESHOLD,
    group_near_duplicates,
    unique_additions,
)
from polyvox.campaigns.models import Campaign, CampaignMembership, CampaignStatus
from polyvox.contributions.models import Contribution, ContributionKind
from polyvox.contributions.permissions import can_dispose
from polyvox.core.permissions import require
from polyvox.participants.models import User
from polyvox.processes.models import Process
from polyvox.record.services import append_entry


def additions_beyond(template_text: str, bodies: Sequence[str]) -> list[str]:
    """Each body's own words beyond the template; identical bodies are computed once."""
    cache: dict[str, str] = {template_text: ""}
    out = []
    for body in bodies:
        if body not in cache:
            cache[body] = unique_additions(template_text, body)
        out.append(cache[body])
    return out


@transaction.atomic
def detect_campaigns(
    *, actor: User, process: Process, threshold: float = DEFAULT_THRESHOLD
) -> list[Campaign]:
    """Cluster the process's visible submissions into campaigns, largest first.

    Re-running replaces the detected (unconfirmed) campaigns; confirmed campaigns and their
    members are kept as the secretariat left them.
    """
    require(can_dispose(actor, process), _("Only those who answer inputs may detect campaigns."))
    Process.objects.select_for_update(no_key=True).filter(pk=process.pk).first()
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
        additions = additions_beyond(bodies[cluster.template_index], [bodies[i] for i in members])
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
    require(can_dispose(actor, process), _("Only those who answer inputs may detect campaigns."))
    from polyvox.campaigns.tasks import detect_campaigns_task

    transaction.on_commit(lambda: detect_campaigns_task.enqueue(process.pk, actor.pk))
