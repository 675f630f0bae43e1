"""Each person reads what Polyvox circulates in their own language: a visitor in the language of
the page they followed from, a participant in the language stored for their e-mails (else the
first site language their profile lists, else English), with the process and phase titles as
translated; what people wrote (a version note, a reply) stays as written."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from polyvox.drafts.models import Draft
from polyvox.drafts.services import publish_draft_version
from polyvox.notifications.circulation import circulate
from polyvox.notifications.digests import send_daily_digests
from polyvox.notifications.models import (
    Circulation,
    EmailLanguage,
    Follow,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from polyvox.notifications.reminders import send_deadline_reminders
from polyvox.notifications.services import notify
from polyvox.processes.models import PhaseTranslation, ProcessTranslation
from tests.factories import PhaseFactory, UserFactory, invite, submit_comment, submit_reply
from tests.notifications.conftest import token_of
from tests.smtp import body_of

V1 = "# Scope\n\nText one.\n\n# Access\n\nText two.\n"


@pytest.fixture
def draft(process, secretariat):
    process.title, process.languages = "Data governance", ["en", "fr", "ar", "es"]
    process.save(update_fields=["title", "languages"])
    ProcessTranslation.objects.create(
        process=process, language="fr", title="Gouvernance des données", translated_by=secretariat
    )
    return Draft.objects.create(process=process, slug="principles", title="Draft principles")


def _subject(message) -> str:  # type: ignore[no-untyped-def]
    return str(message["Subject"]).strip()


def _body(message) -> str:  # type: ignore[no-untyped-def]
    return body_of(message).replace("\r\n", "\n")


def test_a_new_version_reaches_a_french_visitor_an_arabic_and_an_english_participant_each_in_theirs(
    client, inbox, draft, secretariat, django_capture_on_commit_callbacks
):
    process = draft.process
    invite(process, UserFactory(username="layla", profile={"languages": ["ar", "en"]}))
    invite(process, UserFactory(username="john"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("notifications:follow_by_email", kwargs={"slug": process.slug}),
            {"follow-email": "lecteur@example.net", "follow-mode": "immediate"},
            HTTP_ACCEPT_LANGUAGE="fr",
        )
    [confirmation] = inbox.wait_for(1)
    assert (
        _subject(confirmation) == "Confirmez que vous souhaitez suivre « Gouvernance des données »"
    )
    client.post(
        reverse(
            "notifications:confirm_follow",
            kwargs={"token": token_of(body_of(confirmation), "confirm")},
        )
    )
    assert Follow.objects.get(email="lecteur@example.net").language == "fr"

    with django_capture_on_commit_callbacks(execute=True):
        publish_draft_version(
            actor=secretariat, draft=draft, markdown=V1, note="Section 2 reworded."
        )

    received = {str(m["To"]): m for m in inbox.wait_for(4)[1:]}
    assert sorted(received) == ["john@example.org", "layla@example.org", "lecteur@example.net"]
    french, arabic, english = (
        received["lecteur@example.net"],
        received["layla@example.org"],
        received["john@example.org"],
    )
    assert _subject(french) == "Nouvelle version de « Draft principles » : version 1"
    assert _body(french).startswith(
        "Le secrétariat de « Gouvernance des données » a publié la version 1 de "
        "« Draft principles ».\n\n"
    )
    assert "Section 2 reworded." in _body(french)  # the note stays as written
    assert "Ne plus recevoir ces courriels" in _body(french)
    assert _subject(arabic) == "نسخة جديدة من «Draft principles»: النسخة 1"
    assert _body(arabic).startswith("نشرت أمانة «Data governance» النسخة 1 من «Draft principles».")
    assert _subject(english) == "New version of “Draft principles”: version 1"
    assert Notification.objects.get(recipient__username="layla").subject == _subject(arabic)
    circulation = Circulation.objects.get(kind="version")
    assert circulation.subject == _subject(english)  # the default language's text
    assert sorted(circulation.texts) == ["ar", "en", "es", "fr", "ru", "zh-hans"]


def test_a_reminder_composed_by_the_clock_reaches_a_spanish_follower_in_spanish(
    inbox, process, django_capture_on_commit_callbacks
):
    process.title = "Data governance"
    process.save(update_fields=["title"])
    now = timezone.now()
    phase = PhaseFactory(
        process=process,
        title="Comments",
        starts_at=now - timedelta(days=10),
        ends_at=now + timedelta(hours=71, minutes=30),
    )
    PhaseTranslation.objects.create(
        phase=phase, language="es", title="Comentarios", translated_by=process.created_by
    )
    lucia = UserFactory(username="lucia")
    EmailLanguage.objects.create(user=lucia, language="es")
    Follow.objects.create(process=process, user=lucia, confirmed_at=now)
    Follow.objects.create(
        process=process, email="lector@example.net", language="es", confirmed_at=now
    )
    translation.deactivate()  # the worker's clock serves no request

    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders(now=now) == 1

    messages = inbox.wait_for(2)
    assert sorted(str(m["To"]) for m in messages) == ["lector@example.net", "lucia@example.org"]
    for message in messages:
        assert _subject(message) == "«Comentarios» se cierra dentro de 3 días: Data governance"
        assert _body(message).startswith(
            "La fase «Comentarios» de «Data governance» se cierra el "
            f"{phase.ends_at:%Y-%m-%d %H:%M} UTC (dentro de 3 días)."
        )


def test_the_preferences_page_changes_the_language_of_the_e_mails(client, participant):
    client.force_login(participant)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert '<option value="en" selected>English</option>' in page
    assert '<option value="ar">العربيّة</option>' in page

    response = client.post(
        reverse("notifications:preferences"),
        dict.fromkeys(NotificationKind.values, "immediate") | {"language": "ar"},
    )

    assert response.status_code == 302
    assert EmailLanguage.objects.get(user=participant).language == "ar"
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert '<option value="ar" selected>العربيّة</option>' in page
    [note] = notify(
        recipients=[participant],
        compose=lambda language: (translation.gettext("Unknown"), language),
    )
    assert (note.subject, note.body) == ("غير معروف", "ar")


def test_an_unknown_language_is_refused_and_nothing_changes(client, participant):
    EmailLanguage.objects.create(user=participant, language="fr")
    client.force_login(participant)

    response = client.post(
        reverse("notifications:preferences"),
        dict.fromkeys(NotificationKind.values, "immediate") | {"language": "xx"},
    )

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert EmailLanguage.objects.get(user=participant).language == "fr"
    assert not NotificationPreference.objects.exists()


def test_following_from_a_french_page_stores_french_and_does_not_replace_a_choice(
    client, process, participant, other_participant
):
    client.force_login(participant)
    client.post(
        reverse("notifications:follow", kwargs={"slug": process.slug}), HTTP_ACCEPT_LANGUAGE="fr"
    )
    EmailLanguage.objects.create(user=other_participant, language="ru")
    client.force_login(other_participant)
    client.post(
        reverse("notifications:follow", kwargs={"slug": process.slug}), HTTP_ACCEPT_LANGUAGE="fr"
    )

    assert dict(EmailLanguage.objects.values_list("user__username", "language")) == {
        "amina": "fr",
        "kenji": "ru",
    }


def test_a_reply_notification_is_written_in_the_language_of_the_author_replied_to(
    open_phase, participant, other_participant, section, django_capture_on_commit_callbacks
):
    EmailLanguage.objects.create(user=participant, language="fr")
    parent = submit_comment(participant, section)
    with translation.override("en"):  # the replier reads the site in English
        submit_reply(other_participant, parent, "I agree with this.")

    note = Notification.objects.get(recipient=participant, kind="reply")
    assert note.subject == f"Kenji a répondu à votre contribution {parent.tracking_number}"
    assert note.body == (
        f"Une réponse à votre contribution {parent.tracking_number} dans "
        f"« {open_phase.process.title} » :\n\nI agree with this."
    )


def test_a_visitors_digest_lists_each_item_in_the_language_they_followed_in(
    inbox, process, django_capture_on_commit_callbacks
):
    start = timezone.now() - timedelta(days=1)
    Follow.objects.create(
        process=process, email="digest@example.net", mode="daily", language="fr",
        confirmed_at=start, last_digest_at=start,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        circulate(
            process=process,
            kind="version",
            compose=lambda language: (translation.gettext("Unknown"), ""),
            url="/v2/",
        )
        assert send_daily_digests(now=timezone.now()) == 1

    [digest] = inbox.wait_for(1)
    assert _subject(digest) == f"Votre récapitulatif quotidien : 1 nouvel élément · {process.title}"
    assert _body(digest).startswith(
        "Depuis votre dernier récapitulatif :\n\n- Inconnu\n  http://polyvox.test/v2/"
    )
