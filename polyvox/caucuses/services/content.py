"""Members' threads, posts and the shared working draft; facilitators publish a thread."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.caucuses.models import (
    Caucus,
    CaucusPost,
    CaucusThread,
    WorkingDraftRevision,
)
from polyvox.caucuses.permissions import is_facilitator, is_member
from polyvox.caucuses.services.rules import (
    MAX_DRAFT_CHARS,
    MAX_POST_CHARS,
    check_length,
    clean_text,
    one_line,
    other_members,
    require_open,
)
from polyvox.core.permissions import require
from polyvox.core.text import refuse_invisible_only, refuse_unstorable
from polyvox.notifications.services import notify
from polyvox.participants.models import User
from polyvox.record.services import append_entry

# Threads and posts -------------------------------------------------------------------------------


def _require_member(actor: User, caucus: Caucus) -> None:
    require(is_member(actor, caucus), _("Only members of this caucus can take part in it."))


def _clean_body(body: str) -> str:
    body = clean_text(body)
    refuse_unstorable(body, "body")
    refuse_invisible_only(body, "body")
    if not body:
        raise ValidationError({"body": _("Write something before sending.")})
    check_length("body", body, MAX_POST_CHARS)
    return body


def _notify_members(post: CaucusPost, actor: User) -> None:
    """The other approved members (only they): the post is caucus content, they are the caucus."""
    thread = post.thread
    caucus = thread.caucus
    notify(
        recipients=other_members(caucus, actor),
        subject=_("%(caucus)s: %(thread)s") % {"caucus": caucus.name, "thread": thread.title},
        body=_("%(person)s wrote:") % {"person": str(actor)} + "\n\n" + post.body,
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
    require_open(caucus.process)
    title = one_line(title)
    if not title:
        raise ValidationError({"title": _("Give the thread a title.")})
    check_length("title", title, 200)
    body = _clean_body(body)
    thread = CaucusThread.objects.create(caucus=caucus, title=title, author_id=actor.pk)
    post = CaucusPost.objects.create(thread=thread, author_id=actor.pk, body=body)
    _notify_members(post, actor)
    return thread


@transaction.atomic
def post_in_thread(*, actor: User, thread: CaucusThread, body: str) -> CaucusPost:
    """A member replies; a published thread is closed to new posts."""
    _require_member(actor, thread.caucus)
    require_open(thread.caucus.process)
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
    require_open(caucus.process)
    # Lock the caucus row: two members saving at once are served one after the other.
    Caucus.objects.select_for_update().filter(pk=caucus.pk).first()
    title, body, note = one_line(title), clean_text(body), one_line(note)
    if not title:
        raise ValidationError({"title": _("Give the working draft a title.")})
    if not body:
        raise ValidationError({"body": _("Write the text of the working draft.")})
    check_length("title", title, 200)
    check_length("body", body, MAX_DRAFT_CHARS)
    check_length("note", note, 200)
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
    require_open(caucus.process)
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
                    "post_id": post.pk,
                    "text": post.body,
                    "posted_at": post.created_at.isoformat(),
                }
                for post in posts
            ],
        },
    )
    return locked
