"""Writes for caucuses: start one, join and leave, facilitate, discuss, draft together, publish.

Caucus content (requests, threads, posts, the working draft) never goes on the record or to
anyone outside the caucus; only its public name and purpose do, and a thread's text once a
facilitator publishes it (`publish_thread`).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from polyvox.caucuses.models import (
    OPEN_MEMBERSHIP_STATUSES,
    Caucus,
    CaucusMembership,
    CaucusMembershipStatus,
    CaucusPost,
    CaucusRole,
    CaucusThread,
    WorkingDraftRevision,
)
from polyvox.caucuses.permissions import is_facilitator, is_member, why_not_join, why_not_start
from polyvox.core.permissions import is_signed_in, require
from polyvox.notifications.services import notify
from polyvox.participants.models import StakeholderGroup, User
from polyvox.processes.models import Process
from polyvox.record.services import append_entry

MAX_MESSAGE_CHARS = 2000
MAX_POST_CHARS = 20000
MAX_DRAFT_CHARS = 100000
SLUG_LENGTH = 70
RESERVED_SLUGS = {"new"}  # /p/<slug>/caucuses/new/ is the form to start one


def _require_open(process: Process) -> None:
    require(process.closed_at is None, _("This process is closed."))


def _text(value: str | None) -> str:
    return (value or "").strip()


def _one_line(value: str | None) -> str:
    return " ".join((value or "").split())


def _check_length(field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise ValidationError(
            {
                field: _("Keep it under %(limit)d characters (this has %(count)d).")
                % {"limit": limit, "count": len(value)}
            }
        )


def _display_name(user: User) -> str:
    return str(user)


def _free_slug(process: Process, name: str) -> str:
    """A slug for `name` that no other caucus of `process` has (suffixed -2, -3… if taken)."""
    base = slugify(name)[:SLUG_LENGTH].strip("-") or "caucus"
    taken = set(
        Caucus.objects.filter(process=process, slug__startswith=base).values_list("slug", flat=True)
    )
    taken |= RESERVED_SLUGS
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _facilitators(caucus: Caucus) -> list[User]:
    return [
        m.user
        for m in CaucusMembership.objects.filter(
            caucus=caucus, status=CaucusMembershipStatus.APPROVED, role=CaucusRole.FACILITATOR
        ).select_related("user__profile")
    ]


def _other_members(caucus: Caucus, actor: User) -> list[User]:
    return [
        m.user
        for m in CaucusMembership.objects.filter(
            caucus=caucus, status=CaucusMembershipStatus.APPROVED
        )
        .exclude(user_id=actor.pk)
        .select_related("user")
    ]


def _check_not_last_facilitator(membership: CaucusMembership, message: str) -> None:
    """A caucus with members keeps at least one facilitator: they approve and publish."""
    if membership.role != CaucusRole.FACILITATOR:
        return
    approved = CaucusMembership.objects.select_for_update().filter(
        caucus_id=membership.caucus_id, status=CaucusMembershipStatus.APPROVED
    )
    rows = list(approved.exclude(pk=membership.pk).values_list("role", flat=True))
    if rows and CaucusRole.FACILITATOR not in rows:
        raise ValidationError({"membership": message})


# Caucuses and membership -------------------------------------------------------------------------


@transaction.atomic
def create_caucus(
    *, actor: User, process: Process, name: str, purpose: str = "", stakeholder_group: str = ""
) -> Caucus:
    """Start a caucus; its creator becomes its first facilitator. Name and purpose are public."""
    refusal = why_not_start(actor, process)
    require(not refusal, refusal)
    name, purpose = _one_line(name), _text(purpose)
    if not name:
        raise ValidationError({"name": _("Give the caucus a name.")})
    _check_length("name", name, 120)
    _check_length("purpose", purpose, MAX_MESSAGE_CHARS)
    if stakeholder_group and stakeholder_group not in StakeholderGroup.values:
        raise ValidationError({"stakeholder_group": _("Choose a stakeholder group from the list.")})
    if Caucus.objects.filter(process=process, name__iexact=name).exists():
        raise ValidationError({"name": _("This process already has a caucus with this name.")})
    try:
        with transaction.atomic():
            caucus = Caucus.objects.create(
                process=process,
                name=name,
                slug=_free_slug(process, name),
                purpose=purpose,
                stakeholder_group=stakeholder_group,
                created_by_id=actor.pk,
            )
    except IntegrityError:  # another caucus took this address at the same moment
        raise ValidationError(
            {"name": _("Another caucus took this name a moment ago; send the form again.")}
        ) from None
    CaucusMembership.objects.create(
        caucus=caucus,
        user_id=actor.pk,
        role=CaucusRole.FACILITATOR,
        status=CaucusMembershipStatus.APPROVED,
        decided_at=timezone.now(),
        decided_by_id=actor.pk,
    )
    append_entry(
        process=process,
        kind="caucus_created",
        payload={
            "caucus": caucus.slug,
            "name": caucus.name,
            "purpose": caucus.purpose,
            "stakeholder_group": caucus.stakeholder_group,
        },
    )
    return caucus


@transaction.atomic
def request_membership(*, actor: User, caucus: Caucus, message: str = "") -> CaucusMembership:
    """Ask to join; the facilitators (only they) are told, and decide."""
    refusal = why_not_join(actor, caucus)
    require(not refusal, refusal)
    message = _text(message)
    _check_length("message", message, MAX_MESSAGE_CHARS)
    existing = CaucusMembership.objects.filter(
        caucus=caucus, user_id=actor.pk, status__in=OPEN_MEMBERSHIP_STATUSES
    ).first()
    if existing is not None:
        raise ValidationError({"message": _already(existing)})
    try:
        with transaction.atomic():
            membership = CaucusMembership.objects.create(
                caucus=caucus, user_id=actor.pk, message=message
            )
    except IntegrityError:  # a second request sent at the same moment
        raise ValidationError(
            {"message": _("You have already asked to join; the facilitators will decide.")}
        ) from None
    body = _("%(person)s asks to join the caucus “%(caucus)s”.") % {
        "person": _display_name(actor),
        "caucus": caucus.name,
    }
    if message:
        body += "\n\n" + message
    notify(
        recipients=_facilitators(caucus),
        subject=_("Request to join %(caucus)s") % {"caucus": caucus.name},
        body=body,
        url=caucus.get_absolute_url(),
    )
    return membership


def _already(membership: CaucusMembership) -> str:
    if membership.status == CaucusMembershipStatus.APPROVED:
        return _("You are already a member of this caucus.")
    return _("You have already asked to join; the facilitators will decide.")


@transaction.atomic
def decide_membership(*, actor: User, membership: CaucusMembership, approve: bool) -> None:
    """A facilitator approves or refuses a request; the requester is told."""
    caucus = membership.caucus
    require(
        is_facilitator(actor, caucus),
        _("Only the caucus's facilitators decide who joins it."),
    )
    _require_open(caucus.process)
    row = CaucusMembership.objects.select_for_update().get(pk=membership.pk)
    if row.status != CaucusMembershipStatus.REQUESTED:
        raise ValidationError({"membership": _("This request has already been decided.")})
    row.status = CaucusMembershipStatus.APPROVED if approve else CaucusMembershipStatus.REFUSED
    row.decided_at = timezone.now()
    row.decided_by_id = actor.pk
    row.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    membership.status, membership.decided_at = row.status, row.decided_at
    subject = (
        _("You joined the caucus %(caucus)s") if approve else _("Your request to join %(caucus)s")
    ) % {"caucus": caucus.name}
    body = (
        _("The facilitators approved your request to join the caucus “%(caucus)s”.")
        if approve
        else _("The facilitators did not approve your request to join the caucus “%(caucus)s”.")
    ) % {"caucus": caucus.name}
    notify(recipients=[row.user], subject=subject, body=body, url=caucus.get_absolute_url())


@transaction.atomic
def leave_caucus(*, actor: User, caucus: Caucus) -> CaucusMembership:
    """Leave (or withdraw a pending request); the last facilitator appoints another first."""
    require(is_signed_in(actor), _("Log in to take part."))
    _require_open(caucus.process)
    membership = (
        CaucusMembership.objects.select_for_update()
        .filter(caucus=caucus, user_id=actor.pk, status__in=OPEN_MEMBERSHIP_STATUSES)
        .first()
    )
    if membership is None:
        raise ValidationError({"membership": _("You are not a member of this caucus.")})
    _check_not_last_facilitator(
        membership,
        _("You are its last facilitator: appoint another facilitator before you leave."),
    )
    membership.status = CaucusMembershipStatus.LEFT
    membership.save(update_fields=["status", "updated_at"])
    return membership


@transaction.atomic
def remove_member(*, actor: User, membership: CaucusMembership) -> CaucusMembership:
    """A facilitator removes a member (history kept); the member is told."""
    caucus = membership.caucus
    require(is_facilitator(actor, caucus), _("Only the caucus's facilitators remove members."))
    _require_open(caucus.process)
    row = CaucusMembership.objects.select_for_update().get(pk=membership.pk)
    if row.status != CaucusMembershipStatus.APPROVED:
        raise ValidationError({"membership": _("This person is not a member of this caucus.")})
    _check_not_last_facilitator(
        row, _("This is its last facilitator: appoint another facilitator first.")
    )
    row.status = CaucusMembershipStatus.REMOVED
    row.save(update_fields=["status", "updated_at"])
    membership.status = row.status
    if row.user_id != actor.pk:
        notify(
            recipients=[row.user],
            subject=_("You were removed from the caucus %(caucus)s") % {"caucus": caucus.name},
            body=_("A facilitator removed you from the caucus “%(caucus)s”.")
            % {"caucus": caucus.name},
            url=caucus.get_absolute_url(),
        )
    return row


@transaction.atomic
def appoint_facilitator(*, actor: User, membership: CaucusMembership) -> CaucusMembership:
    """A facilitator makes another member a facilitator too."""
    caucus = membership.caucus
    require(
        is_facilitator(actor, caucus), _("Only the caucus's facilitators appoint facilitators.")
    )
    _require_open(caucus.process)
    row = CaucusMembership.objects.select_for_update().get(pk=membership.pk)
    if row.status != CaucusMembershipStatus.APPROVED:
        raise ValidationError({"membership": _("Only members can be appointed facilitators.")})
    if row.role == CaucusRole.FACILITATOR:
        raise ValidationError({"membership": _("This member is already a facilitator.")})
    row.role = CaucusRole.FACILITATOR
    row.save(update_fields=["role", "updated_at"])
    membership.role = row.role
    return row


# Threads and posts -------------------------------------------------------------------------------


def _require_member(actor: User, caucus: Caucus) -> None:
    require(is_member(actor, caucus), _("Only members of this caucus can take part in it."))


def _clean_body(body: str) -> str:
    body = _text(body)
    if not body:
        raise ValidationError({"body": _("Write something before sending.")})
    _check_length("body", body, MAX_POST_CHARS)
    return body


def _notify_members(post: CaucusPost, actor: User) -> None:
    """The other approved members (only they): the post is caucus content, they are the caucus."""
    thread = post.thread
    caucus = thread.caucus
    notify(
        recipients=_other_members(caucus, actor),
        subject=_("%(caucus)s: %(thread)s") % {"caucus": caucus.name, "thread": thread.title},
        body=_("%(person)s wrote:") % {"person": _display_name(actor)} + "\n\n" + post.body,
        url=thread_url(thread),
    )


def thread_url(thread: CaucusThread) -> str:
    caucus = thread.caucus
    return reverse(
        "caucuses:thread",
        kwargs={"slug": caucus.process.slug, "caucus": caucus.slug, "thread_id": thread.pk},
    )


@transaction.atomic
def start_thread(*, actor: User, caucus: Caucus, title: str, body: str) -> CaucusThread:
    """A member opens a discussion with its first post; the other members are told."""
    _require_member(actor, caucus)
    _require_open(caucus.process)
    title = _one_line(title)
    if not title:
        raise ValidationError({"title": _("Give the thread a title.")})
    _check_length("title", title, 200)
    body = _clean_body(body)
    thread = CaucusThread.objects.create(caucus=caucus, title=title, author_id=actor.pk)
    post = CaucusPost.objects.create(thread=thread, author_id=actor.pk, body=body)
    _notify_members(post, actor)
    return thread


@transaction.atomic
def post_in_thread(*, actor: User, thread: CaucusThread, body: str) -> CaucusPost:
    """A member replies; a published thread is closed to new posts."""
    _require_member(actor, thread.caucus)
    _require_open(thread.caucus.process)
    locked = CaucusThread.objects.select_for_update().get(pk=thread.pk)
    if locked.published_at is not None:
        raise ValidationError({"body": _("This thread was published and is closed.")})
    post = CaucusPost.objects.create(thread=thread, author_id=actor.pk, body=_clean_body(body))
    _notify_members(post, actor)
    return post


# The working draft -------------------------------------------------------------------------------


@transaction.atomic
def save_working_draft(
    *,
    actor: User,
    caucus: Caucus,
    title: str,
    body: str,
    note: str = "",
    based_on: int | None = None,
) -> WorkingDraftRevision:
    """Append revision n+1; refused if `based_on` is not the latest, so no save is lost."""
    _require_member(actor, caucus)
    _require_open(caucus.process)
    # Lock the caucus row: two members saving at once are served one after the other.
    Caucus.objects.select_for_update().filter(pk=caucus.pk).first()
    title, body, note = _one_line(title), _text(body), _one_line(note)
    if not title:
        raise ValidationError({"title": _("Give the working draft a title.")})
    if not body:
        raise ValidationError({"body": _("Write the text of the working draft.")})
    _check_length("title", title, 200)
    _check_length("body", body, MAX_DRAFT_CHARS)
    _check_length("note", note, 200)
    latest = WorkingDraftRevision.objects.filter(caucus=caucus).aggregate(n=Max("number"))["n"] or 0
    if based_on is not None and based_on != latest:
        raise ValidationError({"body": _stale(latest)})
    try:
        with transaction.atomic():
            return WorkingDraftRevision.objects.create(
                caucus=caucus,
                number=latest + 1,
                title=title,
                body=body,
                note=note,
                author_id=actor.pk,
            )
    except IntegrityError:  # another save took this number first (no row lock on SQLite)
        raise ValidationError({"body": _stale(latest + 1)}) from None


def _stale(latest: int) -> str:
    return _("Someone saved a newer revision (%(number)d); reload and merge your changes.") % {
        "number": latest
    }


# Publishing --------------------------------------------------------------------------------------


@transaction.atomic
def publish_thread(*, actor: User, thread: CaucusThread) -> CaucusThread:
    """A facilitator makes a thread public: it goes on the record with its posts, and closes."""
    caucus = thread.caucus
    require(
        is_facilitator(actor, caucus),
        _("Only the caucus's facilitators can publish its content."),
    )
    _require_open(caucus.process)
    locked = CaucusThread.objects.select_for_update().get(pk=thread.pk)
    if locked.published_at is not None:
        raise ValidationError({"thread": _("This thread has already been published.")})
    locked.published_at = timezone.now()
    locked.published_by_id = actor.pk
    locked.save(update_fields=["published_at", "published_by", "updated_at"])
    thread.published_at, thread.published_by_id = locked.published_at, locked.published_by_id
    posts = CaucusPost.objects.filter(thread=locked).select_related("author__profile")
    append_entry(
        process=caucus.process,
        kind="caucus_thread_published",
        payload={
            "caucus": caucus.slug,
            "caucus_name": caucus.name,
            "thread_id": locked.pk,
            "title": locked.title,
            "posts": [
                {
                    "author": _display_name(post.author),
                    "text": post.body,
                    "posted_at": post.created_at.isoformat(),
                }
                for post in posts
            ],
        },
    )
    return locked
