"""Notifications are stored at once; their e-mails leave from the worker through one task enqueued
on commit, so a slow or unreachable mail server never holds a request (a deadline rush)."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from polyvox.contributions.models import Contribution
from polyvox.notifications.models import Notification
from polyvox.notifications.services import notify
from polyvox.notifications.tasks import send_emails_task
from tests.factories import UserFactory, submit_comment


def _run_the_worker() -> None:
    """What `polyvox worker` does, once: run every queued task, then stop. The worker closes its
    database connections as it goes, so the tests that run it commit for real (transaction=True)."""
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


worker_test = pytest.mark.django_db(transaction=True)


def test_a_notification_is_stored_for_each_active_recipient_and_e_mailed_to_those_with_an_address(
    db, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://consult.example.org"
    ana, bo = UserFactory(username="ana"), UserFactory(username="bo")
    gone = UserFactory(username="gone", is_active=False)
    silent = UserFactory(username="silent", email="")

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[ana, bo, gone, silent, ana], subject="Answered", body="Hi.", url="/x/")

    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "ana",
        "bo",
        "silent",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "bo@example.org"]
    assert mail.outbox[0].body.startswith("Hi.\n\nhttps://consult.example.org/x/\n\n-- \n")
    assert "https://consult.example.org/notifications/unsubscribe/" in mail.outbox[0].body


@worker_test
def test_a_submission_only_enqueues_its_receipt_and_the_worker_sends_it(
    database_tasks, open_phase, participant, section
):
    contribution = submit_comment(participant, section)  # committed: its on-commit hook ran

    [queued] = DBTaskResult.objects.all()
    assert mail.outbox == []
    assert queued.task_path == "polyvox.notifications.tasks.send_emails_task"
    [[message]] = queued.args_kwargs["args"]
    assert message[3] == ["amina@example.org"]
    assert Notification.objects.get(recipient=participant).subject == message[0]

    _run_the_worker()

    [sent] = mail.outbox
    assert contribution.tracking_number in sent.subject
    assert sent.to == ["amina@example.org"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@worker_test
def test_one_task_carries_every_e_mail_of_a_notification(database_tasks):
    people = [UserFactory(username=f"member{i}") for i in range(3)]

    with transaction.atomic():
        notify(recipients=people, subject="Draft published", body="Version 2 is out.")

    [queued] = DBTaskResult.objects.all()
    assert len(queued.args_kwargs["args"][0]) == 3
    _run_the_worker()
    assert len(mail.outbox) == 3


def test_a_write_that_rolls_back_enqueues_and_sends_nothing(
    database_tasks, open_phase, participant, section, django_capture_on_commit_callbacks
):
    def a_request_that_fails_after_submitting() -> None:
        with transaction.atomic():
            submit_comment(participant, section)
            raise RuntimeError("the request failed after the submission")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        a_request_that_fails_after_submitting()

    assert (Contribution.objects.count(), Notification.objects.count()) == (0, 0)
    assert DBTaskResult.objects.count() == 0
    assert mail.outbox == []


@worker_test
def test_with_the_mail_server_down_the_submission_is_accepted_and_the_failed_send_recorded(
    database_tasks, mail_server_down, open_phase, participant, section
):
    contribution = submit_comment(participant, section)

    assert Contribution.objects.get() == contribution
    assert Notification.objects.filter(recipient=participant).count() == 1
    _run_the_worker()
    assert DBTaskResult.objects.get().status == "FAILED"


def test_with_tasks_run_at_once_a_mail_server_down_still_fails_no_submission(
    mail_server_down, open_phase, participant, section, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contribution = submit_comment(participant, section)

    assert Contribution.objects.get() == contribution
    assert mail.outbox == []


def test_the_task_sends_messages_given_as_json(db):
    sent = send_emails_task.call([["Subject", "Body", "from@example.org", ["to@example.org"]]])

    assert sent == 1
    assert (mail.outbox[0].subject, mail.outbox[0].from_email, mail.outbox[0].to) == (
        "Subject",
        "from@example.org",
        ["to@example.org"],
    )
