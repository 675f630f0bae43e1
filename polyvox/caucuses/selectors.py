"""Reads of caucuses: the public list and published threads for anyone, the content for members.

Every reader of caucus content takes the viewer and raises PermissionDenied for anyone who is not
an approved member, so a view that forgets a check still cannot leak it.
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from polyvox.caucuses.models import (
    Caucus,
    CaucusMembership,
    CaucusMembershipStatus,
    CaucusPost,
    CaucusThread,
    WorkingDraftRevision,
)
from polyvox.caucuses.permissions import is_facilitator, is_member
from polyvox.core.permissions import Actor, is_signed_in, require
from polyvox.processes.models import Process

_APPROVED = Q(memberships__status=CaucusMembershipStatus.APPROVED)


def members_only() -> str:
    return _("Only members of this caucus can read it; ask to join.")


def caucuses_of(process: Process) -> QuerySet[Caucus]:
    """Public: every caucus of `process` with `member_count` (approved members), by name."""
    return (
        Caucus.objects.filter(process=process)
        .annotate(member_count=Count("memberships", filter=_APPROVED))
        .order_by("name", "id")
    )


def caucus_by_slug(process: Process, slug: str) -> Caucus:
    """Public: one caucus (name, purpose, group, `member_count`), or 404."""
    caucus = caucuses_of(process).filter(slug=slug).first()
    if caucus is None:
        raise Http404(_("No such caucus."))
    return caucus


def viewer_standing(*, viewer: Actor | None, caucus: Caucus) -> CaucusMembership | None:
    """The viewer's latest membership row (requested, approved, refused, left…), or None."""
    if not is_signed_in(viewer):
        return None
    return (
        CaucusMembership.objects.filter(caucus=caucus, user_id=viewer.pk)
        .order_by("-created_at", "-id")
        .first()
    )


def threads_for(*, viewer: Actor | None, caucus: Caucus) -> QuerySet[CaucusThread]:
    """Members: the caucus's threads, newest first, with `post_count`; the caller paginates."""
    require(is_member(viewer, caucus), members_only())
    return (
        CaucusThread.objects.filter(caucus=caucus)
        .select_related("author__profile")
        .annotate(post_count=Count("posts"))
        .order_by("-created_at", "-id")
    )


def thread_in(*, viewer: Actor | None, caucus: Caucus, thread_id: int) -> CaucusThread:
    """One thread: to members, or to anyone once published (404 if none, 403 if private)."""
    thread = (
        CaucusThread.objects.filter(caucus=caucus, pk=thread_id)
        .select_related("caucus__process", "author__profile", "published_by__profile")
        .first()
    )
    if thread is None:
        raise Http404(_("No such thread."))
    require(thread.published_at is not None or is_member(viewer, caucus), members_only())
    return thread


def posts_for(*, viewer: Actor | None, thread: CaucusThread) -> QuerySet[CaucusPost]:
    """A thread's posts, oldest first: to members, or to anyone once published; caller paginates."""
    require(thread.published_at is not None or is_member(viewer, thread.caucus), members_only())
    return CaucusPost.objects.filter(thread=thread).select_related("author__profile")


@dataclass(frozen=True)
class WorkingDraft:
    """The latest revision (None before the first save) and every revision, newest first."""

    latest: WorkingDraftRevision | None
    history: QuerySet[WorkingDraftRevision]

    @property
    def number(self) -> int:
        return self.latest.number if self.latest else 0


def working_draft(*, viewer: Actor | None, caucus: Caucus) -> WorkingDraft:
    """Members: the shared working draft; `history` is for the caller to paginate."""
    require(is_member(viewer, caucus), members_only())
    history = (
        WorkingDraftRevision.objects.filter(caucus=caucus)
        .select_related("author__profile")
        .order_by("-number")
    )
    return WorkingDraft(latest=history.first(), history=history)


def working_draft_revision(
    *, viewer: Actor | None, caucus: Caucus, number: int
) -> WorkingDraftRevision:
    """Members: one revision of the working draft (404 if there is none with that number)."""
    require(is_member(viewer, caucus), members_only())
    revision = (
        WorkingDraftRevision.objects.filter(caucus=caucus, number=number)
        .select_related("author__profile")
        .first()
    )
    if revision is None:
        raise Http404(_("No such revision."))
    return revision


def members_for(*, viewer: Actor | None, caucus: Caucus) -> QuerySet[CaucusMembership]:
    """Members: the approved members, facilitators first; the caller paginates."""
    require(is_member(viewer, caucus), members_only())
    return (
        CaucusMembership.objects.filter(caucus=caucus, status=CaucusMembershipStatus.APPROVED)
        .select_related("user__profile")
        # "facilitator" sorts before "member": facilitators first, then by when they joined.
        .order_by("role", "created_at", "id")
    )


def membership_in(*, viewer: Actor | None, caucus: Caucus, membership_id: int) -> CaucusMembership:
    """Facilitators: one membership row of this caucus to act on (a request, a member)."""
    require(
        is_facilitator(viewer, caucus),
        _("Only the caucus's facilitators manage its members."),
    )
    membership = (
        CaucusMembership.objects.filter(caucus=caucus, pk=membership_id)
        .select_related("caucus__process", "user__profile")
        .first()
    )
    if membership is None:
        raise Http404(_("No such member or request."))
    return membership


def requests_for(*, viewer: Actor | None, caucus: Caucus) -> QuerySet[CaucusMembership]:
    """Facilitators: the pending requests to join, oldest first, with their messages."""
    require(
        is_facilitator(viewer, caucus),
        _("Only the caucus's facilitators see requests to join."),
    )
    return (
        CaucusMembership.objects.filter(caucus=caucus, status=CaucusMembershipStatus.REQUESTED)
        .select_related("user__profile")
        .order_by("created_at", "id")
    )


def published_threads(caucus: Caucus) -> QuerySet[CaucusThread]:
    """Public: the threads a facilitator published, newest first, with their posts prefetched
    (`published_posts`). The caller paginates the threads."""
    posts = CaucusPost.objects.select_related("author__profile").order_by("created_at", "id")
    return (
        CaucusThread.objects.filter(caucus=caucus, published_at__isnull=False)
        .select_related("author__profile", "published_by__profile")
        .prefetch_related(Prefetch("posts", queryset=posts, to_attr="published_posts"))
        .annotate(post_count=Count("posts"))
        .order_by("-published_at", "-id")
    )
