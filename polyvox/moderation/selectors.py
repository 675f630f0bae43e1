"""Reads for moderation: the policy, the queue, the ladder, restrictions and the public log.

The public reads (policy, log, warnings, tombstones) carry dates, kinds, reason codes and
tracking numbers only: never hidden content, never the name of an author, flagger or moderator.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.contributions.models import Contribution
from polyvox.core.moderation import ReasonCode
from polyvox.core.permissions import Actor, require
from polyvox.moderation.models import (
    LADDER,
    ActionKind,
    Appeal,
    AppealStatus,
    Flag,
    FlagStatus,
    ModerationAction,
    ModerationPolicy,
)
from polyvox.moderation.permissions import can_moderate
from polyvox.moderation.policy import default_policy_text
from polyvox.processes.models import Process
from polyvox.statements.models import Statement

PAGE_SIZE = 25


@dataclass(frozen=True)
class PolicyView:
    text: str
    version: int  # 0: the built-in policy, never edited here
    published_at: datetime | None


def current_policy(process: Process) -> PolicyView:
    """The latest published version, or the built-in policy while the secretariat has not
    published one."""
    latest = ModerationPolicy.objects.filter(process=process).order_by("-version").first()
    if latest is None:
        return PolicyView(default_policy_text(), 0, None)
    return PolicyView(latest.text, latest.version, latest.published_at)


# --- the ladder and restrictions ---------------------------------------------------------------


def ladder_steps_taken(process: Process, author_id: int | None) -> list[str]:
    """The ladder steps that stand against an author here (reversed ones do not count)."""
    if author_id is None:
        return []
    taken = set(
        ModerationAction.objects.filter(
            process=process, author_id=author_id, action__in=LADDER, reversed_at__isnull=True
        ).values_list("action", flat=True)
    )
    return [step for step in LADDER if step in taken]


def next_ladder_step(process: Process, author_id: int | None) -> str:
    """The step that needs no stated reason: one above the highest step that stands."""
    taken = ladder_steps_taken(process, author_id)
    if not taken:
        return LADDER[0]
    return LADDER[min(LADDER.index(taken[-1]) + 1, len(LADDER) - 1)]


def restricted_until(author_id: int | None, process: Process, now: datetime) -> datetime | None:
    """The end of the restriction that stands against an author in `process`, if any."""
    if author_id is None:
        return None
    found = ModerationAction.objects.filter(
        process=process,
        author_id=author_id,
        action=ActionKind.RESTRICTION,
        restricted_until__gt=now,
        reversed_at__isnull=True,
    ).aggregate(until=Max("restricted_until"))
    until: datetime | None = found["until"]
    return until


def restriction_refusal(actor: Any, process: Process, now: datetime) -> str:
    """Registered with `processes.participation`: a restricted author cannot take part."""
    until = restricted_until(getattr(actor, "pk", None), process, now)
    if until is None:
        return ""
    return _(
        "A moderator restricted your participation in this process until %(until)s UTC "
        "(see the moderation policy; you can appeal the decision)."
    ) % {"until": until.strftime("%Y-%m-%d %H:%M")}


# --- the queue ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    """One flagged item: the item, how many open flags, their reason codes and the latest."""

    contribution: Contribution | None
    statement: Statement | None
    open_flags: int
    reason_codes: list[str]
    latest: datetime


def moderation_queue(
    *, viewer: Actor | None, process: Process, page: Any = 1
) -> tuple[Page[Any], list[QueueItem]]:
    """Open flags grouped by item, the most flagged first; one page of items."""
    require(can_moderate(viewer, process), _("Only moderators and the secretariat see the queue."))
    grouped = (
        Flag.objects.filter(process=process, status=FlagStatus.OPEN)
        .values("contribution_id", "statement_id")
        .annotate(n=Count("id"), latest=Max("created_at"))
        .order_by("-n", "-latest", "contribution_id", "statement_id")
    )
    paged = Paginator(grouped, PAGE_SIZE).get_page(page)
    rows = list(paged.object_list)
    contribution_ids = [row["contribution_id"] for row in rows if row["contribution_id"]]
    statement_ids = [row["statement_id"] for row in rows if row["statement_id"]]
    contributions = Contribution.objects.in_bulk(contribution_ids)
    statements = Statement.objects.in_bulk(statement_ids)
    codes: dict[tuple[int | None, int | None], set[str]] = {}
    for contribution_id, statement_id, code in Flag.objects.filter(
        Q(contribution_id__in=contribution_ids) | Q(statement_id__in=statement_ids),
        process=process,
        status=FlagStatus.OPEN,
    ).values_list("contribution_id", "statement_id", "reason_code"):
        codes.setdefault((contribution_id, statement_id), set()).add(code)
    items = [
        QueueItem(
            contribution=contributions.get(row["contribution_id"]),
            statement=statements.get(row["statement_id"]),
            open_flags=row["n"],
            reason_codes=sorted(codes.get((row["contribution_id"], row["statement_id"]), set())),
            latest=row["latest"],
        )
        for row in rows
    ]
    return paged, items


def awaiting_review(*, viewer: Actor | None, process: Process, page: Any = 1) -> Page[Any]:
    """Inputs held by pre-moderation, oldest first."""
    require(can_moderate(viewer, process), _("Only moderators and the secretariat see the queue."))
    held = Contribution.objects.filter(
        process=process, hidden_reason_code=ReasonCode.AWAITING_REVIEW
    ).order_by("hidden_at", "id")
    return Paginator(held, PAGE_SIZE).get_page(page)


def pending_appeals(*, viewer: Actor | None, process: Process) -> QuerySet[Appeal]:
    """Appeals waiting for a moderator other than the one who acted (the viewer's excluded)."""
    require(can_moderate(viewer, process), _("Only moderators and the secretariat see appeals."))
    return (
        Appeal.objects.filter(action__process=process, status=AppealStatus.PENDING)
        .exclude(action__moderator_id=getattr(viewer, "pk", None))
        .select_related("action", "action__contribution", "action__statement")
        .order_by("created_at")[:PAGE_SIZE]
    )


@dataclass(frozen=True)
class ItemReview:
    """What a moderator sees of one item before acting."""

    flags: list[Flag]
    actions: list[ModerationAction]
    steps_taken: list[str]
    next_step: str
    restricted_until: datetime | None


def item_review(
    *,
    viewer: Actor | None,
    process: Process,
    contribution: Contribution | None = None,
    statement: Statement | None = None,
) -> ItemReview:
    require(can_moderate(viewer, process), _("Only moderators and the secretariat moderate."))
    on_item: dict[str, Any] = (
        {"contribution": contribution} if contribution else {"statement": statement}
    )
    author_id = contribution.author_id if contribution else getattr(statement, "author_id", None)
    return ItemReview(
        flags=list(
            Flag.objects.filter(process=process, status=FlagStatus.OPEN, **on_item).order_by(
                "-created_at"
            )[:PAGE_SIZE]
        ),
        actions=list(
            ModerationAction.objects.filter(process=process, **on_item)
            .select_related("appeal")
            .order_by("-created_at")[:PAGE_SIZE]
        ),
        steps_taken=ladder_steps_taken(process, author_id),
        next_step=next_ladder_step(process, author_id),
        restricted_until=restricted_until(author_id, process, timezone.now()),
    )


def access_flagged_contribution(*, process: Process, tracking_number: str) -> Contribution:
    """Any input of the process, hidden or not: for moderators' pages and reports of
    impersonation (the reporter names it by its number)."""
    found = Contribution.objects.filter(process=process, tracking_number=tracking_number).first()
    if found is None:
        raise Http404(_("No such contribution."))
    return found


def access_statement_to_flag(*, process: Process, statement_id: int) -> Statement:
    found = Statement.objects.filter(process=process, pk=statement_id).first()
    if found is None:
        raise Http404(_("No such statement."))
    return found


def access_action(*, process: Process, action_id: int) -> ModerationAction:
    found = (
        ModerationAction.objects.filter(process=process, pk=action_id)
        .select_related("contribution", "statement")
        .first()
    )
    if found is None:
        raise Http404(_("No such moderation action."))
    return found


# --- public -------------------------------------------------------------------------------------


def public_warnings(contribution: Contribution) -> list[Any]:
    """Public warnings on an input (date, reason code, the moderator's explanation)."""
    return list(
        ModerationAction.objects.filter(
            contribution=contribution,
            action=ActionKind.PUBLIC_WARNING,
            reversed_at__isnull=True,
        )
        .order_by("created_at")
        .values("created_at", "reason_code", "text")[:10]
    )


def log_counts(process: Process) -> list[dict[str, Any]]:
    """Actions per month, kind and reason code: one GROUP BY, newest month first."""
    return list(
        ModerationAction.objects.filter(process=process)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "action", "reason_code")
        .annotate(n=Count("id"))
        .order_by("-month", "action", "reason_code")[:500]
    )


def log_entries(process: Process) -> QuerySet[ModerationAction, Any]:
    """Every action, newest first, as public values only: no text, no names."""
    return (
        ModerationAction.objects.filter(process=process)
        .order_by("-created_at", "-id")
        .values(
            "id",
            "created_at",
            "action",
            "reason_code",
            "contribution__tracking_number",
            "statement_id",
            "reversed_at",
        )
    )


def log_page(process: Process, page: Any = 1) -> Page[Any]:
    return Paginator(log_entries(process), PAGE_SIZE).get_page(page)


def personal_data(user: Actor) -> Iterator[dict[str, Any]]:
    """For the account's data download (`accounts.personal_data`): the person's flags, the
    actions about their items and their appeals — not who the moderators were."""
    for flag in (
        Flag.objects.filter(flagger_id=user.pk)
        .values(
            "process__slug",
            "contribution__tracking_number",
            "statement_id",
            "reason_code",
            "text",
            "status",
            "created_at",
        )
        .iterator(chunk_size=500)
    ):
        yield {"type": "flag", **flag}
    for action in (
        ModerationAction.objects.filter(author_id=user.pk)
        .values(
            "process__slug",
            "contribution__tracking_number",
            "statement_id",
            "action",
            "reason_code",
            "text",
            "restricted_until",
            "reversed_at",
            "created_at",
        )
        .iterator(chunk_size=500)
    ):
        yield {"type": "moderation_action", **action}
    for appeal in (
        Appeal.objects.filter(appellant_id=user.pk)
        .values("action_id", "text", "status", "decision_text", "created_at", "decided_at")
        .iterator(chunk_size=500)
    ):
        yield {"type": "appeal", **appeal}


def reasons_for(codes: Iterable[str]) -> list[str]:
    """The labels of reason codes, for notifications."""
    return [str(ReasonCode(code).label) for code in codes if code in ReasonCode.values]
