"""Campaign detection: near-duplicate submissions grouped by the analytics engine, off the request.

Reading, grouping and finding what members added run outside any transaction (reporting their
progress); only the swap of the detected campaigns is one short transaction, so participants'
submissions never wait behind the engine.
"""

import math
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from polyvox.analytics.near_duplicates import (
    DEFAULT_THRESHOLD,
    group_near_duplicates,
    unique_additions,
)
from polyvox.campaigns.models import (
    Campaign,
    CampaignMembership,
    CampaignStatus,
    DetectionStage,
)
from polyvox.contributions.models import Contribution, ContributionKind
from polyvox.contributions.permissions import can_dispose
from polyvox.core.permissions import require
from polyvox.participants.models import User
from polyvox.processes.models import Process
from polyvox.record.services import append_entry

# Called with (stage, done, total) as the work moves on; the worker stores it (rate-limited).
Progress = Callable[[str, int, int], None]

READ_CHUNK = 5000  # submissions fetched per round trip while reading
WRITE_BATCH = 2000  # memberships per INSERT


def no_progress(stage: str, done: int, total: int) -> None:
    """The default `progress`: nobody is watching (tests, the demo)."""


def additions_beyond(template_text: str, bodies: Sequence[str]) -> list[str]:
    """Each body's own words beyond the template; identical bodies are computed once."""
    cache: dict[str, str] = {template_text: ""}
    out = []
    for body in bodies:
        if body not in cache:
            cache[body] = unique_additions(template_text, body)
        out.append(cache[body])
    return out


@dataclass
class _Candidates:
    ids: "array[int]"  # contribution ids, ascending
    texts: list[str]  # their bodies; identical bodies share one string object


def _candidates(process: Process, progress: Progress) -> _Candidates:
    """The visible submissions not in a confirmed campaign, streamed in chunks: only the id and
    body of each, and one string per distinct body (form letters mostly arrive unedited)."""
    rows = (
        Contribution.objects.public()
        .filter(process=process, kind=ContributionKind.SUBMISSION)
        .filter(Q(campaign_membership=None) | Q(campaign_membership__campaign__status="detected"))
        .order_by("id")
    )
    total = rows.count()
    progress(DetectionStage.READING, 0, total)
    ids: array[int] = array("q")
    texts: list[str] = []
    same: dict[str, str] = {}
    for pk, body in rows.values_list("id", "body").iterator(chunk_size=READ_CHUNK):
        ids.append(pk)
        texts.append(same.setdefault(body, body))
        if len(ids) % READ_CHUNK == 0:
            progress(DetectionStage.READING, len(ids), total)
    progress(DetectionStage.READING, len(ids), total)
    return _Candidates(ids, texts)


@dataclass
class _Found:
    template_id: int
    members: list[tuple[int, str, float | None]]  # (contribution id, addition, similarity)


def _batches(items: Iterable[CampaignMembership], size: int) -> Iterator[list[CampaignMembership]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def detect_campaigns(
    *,
    actor: User,
    process: Process,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Progress = no_progress,
) -> list[Campaign]:
    """Cluster the process's visible submissions into campaigns, largest first.

    Re-running replaces the detected (unconfirmed) campaigns; confirmed campaigns and their
    members are kept as the secretariat left them (one confirmed while this ran keeps its
    members: they leave the new campaigns, which are dropped if their template went).
    """
    require(can_dispose(actor, process), _("Only those who answer inputs may detect campaigns."))
    candidates = _candidates(process, progress)
    ids, texts = candidates.ids, candidates.texts
    progress(DetectionStage.GROUPING, 0, len(ids))
    groups = group_near_duplicates(texts, threshold=threshold)
    progress(DetectionStage.GROUPING, len(ids), len(ids))
    parameters = {
        "threshold": groups.threshold,
        "num_perm": groups.num_perm,
        "shingle_size": groups.shingle_size,
        "seed": groups.seed,
    }
    clusters = [c for c in groups.clusters if c.size >= 2]
    in_clusters = sum(c.size for c in clusters)
    found: list[_Found] = []
    done = 0
    progress(DetectionStage.ADDITIONS, 0, in_clusters)
    for cluster in clusters:
        members = list(cluster.member_indices)
        additions = additions_beyond(texts[cluster.template_index], [texts[i] for i in members])
        found.append(
            _Found(
                template_id=ids[cluster.template_index],
                members=[
                    (
                        ids[i],
                        addition,
                        None if math.isnan(groups.similarity[i]) else float(groups.similarity[i]),
                    )
                    for i, addition in zip(members, additions, strict=True)
                ],
            )
        )
        done += cluster.size
        progress(DetectionStage.ADDITIONS, done, in_clusters)
    considered = len(ids)
    del candidates, ids, texts, groups
    progress(DetectionStage.SAVING, 0, in_clusters)
    return _save(process, found, parameters, considered)


@transaction.atomic
def _save(
    process: Process, found: list[_Found], parameters: dict[str, float], considered: int
) -> list[Campaign]:
    """Swap the detected campaigns for the new ones, in one transaction."""
    Process.objects.select_for_update(no_key=True).filter(pk=process.pk).first()
    Campaign.objects.filter(process=process, status=CampaignStatus.DETECTED).delete()
    confirmed = set(
        CampaignMembership.objects.filter(
            campaign__process=process, campaign__status=CampaignStatus.CONFIRMED
        ).values_list("contribution_id", flat=True)
    )
    campaigns: list[Campaign] = []
    for cluster in found:
        members = [m for m in cluster.members if m[0] not in confirmed]
        if cluster.template_id in confirmed or len(members) < 2:
            continue
        campaign = Campaign.objects.create(
            process=process,
            template_id=cluster.template_id,
            size=len(members),
            parameters=parameters,
        )
        rows = (
            CampaignMembership(
                campaign=campaign,
                contribution_id=pk,
                unique_addition=addition,
                similarity=similarity,
            )
            for pk, addition, similarity in members
        )
        for batch in _batches(rows, WRITE_BATCH):
            CampaignMembership.objects.bulk_create(batch)
        campaigns.append(campaign)
    append_entry(
        process=process,
        kind="campaigns.detected",
        payload={
            "submissions_considered": considered,
            "campaigns": len(campaigns),
            "submissions_in_campaigns": sum(c.size for c in campaigns),
            "parameters": parameters,
        },
    )
    return campaigns
