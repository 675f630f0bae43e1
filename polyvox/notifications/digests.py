"""The daily digest: one e-mail a day for whoever chose it, instead of an e-mail each time.

A participant's digest lists their notifications of the kinds they asked to receive so (they
wait with `digest_pending`); a visitor's lists what their process circulated since their last
digest. Each digest is written in its reader's language, and a visitor's lists each item in it.
`polyvox send_digests` (cron, once a day) or its task sends them; a repeated run sends nothing
twice, since what a digest lists is marked as sent in the same transaction.
"""

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from polyvox.notifications.emails import absolute, message
from polyvox.notifications.languages import email_language, reader_language
from polyvox.notifications.models import Circulation, DeliveryMode, Follow, Notification
from polyvox.notifications.services import send_after_commit
from polyvox.notifications.tokens import Unsubscription
from polyvox.participants.models import User
from polyvox.processes.selectors import localized_process

MAX_ITEMS = 50  # listed in one digest; the rest are counted, with a link to the full list


def send_daily_digests(*, now: datetime) -> int:
    """Send every digest due at `now`; returns how many e-mails were queued."""
    sent = 0
    pending = (
        Notification.objects.filter(digest_pending=True, created_at__lte=now)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for user_id in pending.iterator(chunk_size=500):
        sent += _participant_digest(user_id, now)
    followers = Follow.objects.filter(
        user__isnull=True, confirmed_at__isnull=False, mode=DeliveryMode.DAILY
    ).order_by("pk")
    for follow_id in followers.values_list("pk", flat=True).iterator(chunk_size=500):
        sent += _visitor_digest(follow_id, now)
    return sent


@transaction.atomic
def _participant_digest(user_id: int, now: datetime) -> int:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    items = Notification.objects.select_for_update().filter(
        recipient_id=user_id, digest_pending=True, created_at__lte=now
    )
    rows = list(items.order_by("created_at", "id")[:MAX_ITEMS])
    total = items.count()
    items.update(digest_pending=False)
    if user is None or not user.email or not rows:
        return 0
    # The items were written in the reader's language when they were notified; the digest's
    # own words are written in it now.
    with translation.override(email_language(user)):
        lines = [_line(row.subject, row.url) for row in rows]
        body = _digest_body(lines, total, absolute(reverse("notifications:list")))
        kinds = sorted({row.kind for row in rows})
        # The unsubscribe header stops the kind of the first item: the footer links to every
        # choice.
        digest = message(
            subject=_subject(total),
            body=body,
            to=user.email,
            unsubscribe=Unsubscription(user_id=user_id, kind=kinds[0]),
        )
    send_after_commit([digest])
    return 1


@transaction.atomic
def _visitor_digest(follow_id: int, now: datetime) -> int:
    follow = (
        Follow.objects.select_for_update().select_related("process").filter(pk=follow_id).first()
    )
    if follow is None or follow.confirmed_at is None:
        return 0
    since = follow.last_digest_at or follow.confirmed_at
    circulated = Circulation.objects.filter(
        process=follow.process, created_at__gt=since, created_at__lte=now
    )
    rows = list(circulated.order_by("created_at", "id")[:MAX_ITEMS])
    total = circulated.count()
    follow.last_digest_at = now
    follow.save(update_fields=["last_digest_at"])
    if not rows:
        return 0
    # Each item in the language the visitor followed in (as `circulate` composed it).
    language = reader_language(follow.language)
    title = localized_process(follow.process, language).title
    with translation.override(language):
        lines = [_line(row.text_in(language)[0], row.url) for row in rows]
        body = _digest_body(lines, total, absolute(follow.process.get_absolute_url()))
        digest = message(
            subject=_subject(total) + f" · {title}"[:120],
            body=body,
            to=follow.email,
            unsubscribe=Unsubscription(follow_id=follow.pk),
        )
    send_after_commit([digest])
    return 1


def _subject(total: int) -> str:
    return ngettext(
        "Your daily digest: %(count)d new item", "Your daily digest: %(count)d new items", total
    ) % {"count": total}


def _line(subject: str, url: str) -> str:
    return f"- {subject}" + (f"\n  {absolute(url)}" if url else "")


def _digest_body(lines: list[str], total: int, more_url: str) -> str:
    body = _("Since your last digest:") + "\n\n" + "\n".join(lines)
    if total > len(lines):
        body += "\n\n" + _("…and %(count)d more: %(url)s") % {
            "count": total - len(lines),
            "url": more_url,
        }
    return body
