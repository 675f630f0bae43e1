"""Circulation to all: what a process publishes reaches every follower and every registered
participant, not only those who already took part ("not even circulated", the seed documents'
complaint about one UN process).

`circulate` stores one `Circulation` row in the caller's transaction, with its text composed in
every site language (the caller's `compose`, run once per language with it active), and, once it
commits, the worker fans it out (`deliver_circulation`) in batches: participants and followers with an account
get an in-app notification and an e-mail as their preferences say; visitors who confirmed their
address get an e-mail now or in their daily digest. Nobody is told twice, and a request never
waits on thousands of recipients. Each person reads it in their own language
(`notifications.languages`): the account's e-mail language, or the one a visitor followed in.
"""

from collections.abc import Iterator
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone, translation

from polyvox.notifications.emails import absolute, message
from polyvox.notifications.languages import Compose, in_every_language, reader_language
from polyvox.notifications.models import Circulation, DeliveryMode, Follow
from polyvox.notifications.services import notify, send_after_commit
from polyvox.notifications.tasks import deliver_circulation_task
from polyvox.notifications.tokens import Unsubscription
from polyvox.participants.models import User
from polyvox.processes.models import Process
from polyvox.processes.selectors import process_participants

BATCH = 500  # recipients per notification batch and per e-mail task: memory stays bounded


def circulate(
    *,
    process: Process,
    kind: str,
    compose: Compose,
    url: str = "",
    exclude: User | None = None,
) -> Circulation:
    """Send the text `compose(language)` gives, (subject, body), public text only, to everyone
    following or taking part in `process`, except `exclude` (whoever acted), each in their own
    language. `compose` runs now, once per site language, with that language active (so
    `gettext` answers in it; localise process and phase titles with `language`). Delivered by
    the worker after commit."""
    texts = {
        language: {"subject": subject[:200], "body": body}
        for language, (subject, body) in in_every_language(compose).items()
    }
    default = texts.get(str(settings.LANGUAGE_CODE)) or next(iter(texts.values()))
    circulation = Circulation.objects.create(
        process=process,
        kind=kind,
        subject=default["subject"],
        body=default["body"],
        texts=texts,
        url=url,
        created_at=timezone.now(),
        excluded_user_id=exclude.pk if exclude is not None else None,
    )
    transaction.on_commit(partial(deliver_circulation_task.enqueue, circulation.pk))
    return circulation


def recipients(process: Process) -> QuerySet[User]:
    """Registered people the process reaches: its participants (members, contributors, voters:
    `processes.participation`) and the participants who follow it."""
    taking_part = Q(pk__in=process_participants(process).values("pk"))
    following = Q(pk__in=Follow.objects.filter(process=process, user__isnull=False).values("user"))
    return User.objects.filter(taking_part | following, is_active=True).order_by("pk")


def visitor_followers(process: Process) -> QuerySet[Follow]:
    """Confirmed e-mail followers whose address is not already reached through an account."""
    reached = recipients(process).annotate(address=Lower("email")).values("address")
    return (
        Follow.objects.filter(process=process, user__isnull=True, confirmed_at__isnull=False)
        .exclude(email__in=reached)
        .order_by("pk")
    )


def _in_batches(users: QuerySet[User]) -> Iterator[list[User]]:
    last = 0
    while True:
        batch = list(users.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def deliver_circulation(*, circulation_id: int) -> int:
    """Fan a circulation out (run by the worker); returns how many people it reached. A repeated
    run delivers nothing (the row is claimed first)."""
    claimed = Circulation.objects.filter(pk=circulation_id, delivered_at__isnull=True).update(
        delivered_at=timezone.now()
    )
    if not claimed:
        return 0
    circulation = Circulation.objects.select_related("process").get(pk=circulation_id)
    process = circulation.process
    people = recipients(process)
    if circulation.excluded_user_id is not None:
        people = people.exclude(pk=circulation.excluded_user_id)
    reached = 0
    for batch in _in_batches(people):
        with transaction.atomic():
            notify(
                recipients=batch,
                compose=circulation.text_in,
                url=circulation.url,
                kind=circulation.kind,
                process=process,
            )
        reached += len(batch)
    link = f"\n\n{absolute(circulation.url)}" if circulation.url else ""
    messages = []
    followers = visitor_followers(process).only("pk", "email", "mode", "language")
    for follow in followers.iterator(chunk_size=BATCH):
        reached += 1
        if follow.mode != DeliveryMode.IMMEDIATE:
            continue  # in the next daily digest (`digests`)
        language = reader_language(follow.language)
        subject, body = circulation.text_in(language)
        with translation.override(language):
            messages.append(
                message(
                    subject=subject,
                    body=body + link,
                    to=follow.email,
                    unsubscribe=Unsubscription(follow_id=follow.pk),
                )
            )
        if len(messages) == BATCH:
            send_after_commit(messages)
            messages = []
    send_after_commit(messages)
    return reached
