"""A translator publishes the process texts in another language; pages in it show them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from polyvox.processes.models import PhaseTranslation, ProcessTranslation
from polyvox.processes.services.translations import (
    publish_language_version,
    publish_process_translation,
    withdraw_process_translation,
)
from polyvox.record.models import RecordEntry
from tests.factories import PhaseFactory, make_secretariat

pytestmark = pytest.mark.django_db


def test_a_translator_publishes_the_french_title_and_it_goes_on_the_record(trilingual, translator):
    publish_process_translation(
        actor=translator,
        process=trilingual,
        language="fr",
        title=" Gouvernance des données ",
        mandate="Recueillir des avis.",
    )

    saved = ProcessTranslation.objects.get(process=trilingual, language="fr")
    assert (saved.title, saved.translated_by) == ("Gouvernance des données", translator)
    entry = RecordEntry.objects.get(process=trilingual, kind="process.translation_published")
    assert entry.payload == {
        "language": "fr",
        "title": "Gouvernance des données",
        "replaces_earlier": False,
    }
    assert "tariq" not in str(entry.payload)


def test_publishing_again_replaces_the_text(trilingual, translator):
    for title in ("Premier", "Second"):
        publish_process_translation(
            actor=translator, process=trilingual, language="fr", title=title, mandate="M."
        )

    assert list(ProcessTranslation.objects.values_list("title", flat=True)) == ["Second"]
    assert RecordEntry.objects.filter(kind="process.translation_published").count() == 2


def test_the_secretariat_may_publish_translations_too(trilingual):
    secretariat = make_secretariat(trilingual)

    publish_process_translation(
        actor=secretariat, process=trilingual, language="ar", title="حوكمة البيانات", mandate="م"
    )

    assert ProcessTranslation.objects.filter(language="ar").count() == 1


def test_a_participant_cannot_publish_a_translation_and_nothing_is_saved(trilingual, participant):
    with pytest.raises(PermissionDenied):
        publish_process_translation(
            actor=participant, process=trilingual, language="fr", title="Piraté", mandate="x"
        )

    assert ProcessTranslation.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("es", "not run in “es”"),
        ("en", "the language the process is written in"),
        ("xx-<script>", "not run in"),
    ],
)
def test_a_language_the_process_does_not_translate_into_is_refused(
    trilingual, translator, language, message
):
    with pytest.raises(ValidationError) as refused:
        publish_process_translation(
            actor=translator, process=trilingual, language=language, title="T", mandate="M"
        )

    assert message in refused.value.message_dict["language"][0]
    assert ProcessTranslation.objects.count() == 0


def test_a_blank_title_is_refused(trilingual, translator):
    with pytest.raises(ValidationError) as refused:
        publish_process_translation(
            actor=translator, process=trilingual, language="fr", title="  ", mandate="M"
        )

    assert list(refused.value.message_dict) == ["title"]


def test_the_process_and_its_phases_are_published_together_or_not_at_all(trilingual, translator):
    first = PhaseFactory(process=trilingual, title="Comments")
    elsewhere = PhaseFactory(title="Elsewhere")

    with pytest.raises(ValidationError):
        publish_language_version(
            actor=translator,
            process=trilingual,
            language="fr",
            title="Titre",
            mandate="Mandat",
            phases={first.pk: ("Commentaires", ""), elsewhere.pk: ("Ailleurs", "")},
        )

    assert ProcessTranslation.objects.count() == 0
    assert PhaseTranslation.objects.count() == 0


def test_a_phase_left_blank_is_not_translated(trilingual, translator):
    first = PhaseFactory(process=trilingual, title="Comments")
    second = PhaseFactory(process=trilingual, title="Decision")

    publish_language_version(
        actor=translator,
        process=trilingual,
        language="fr",
        title="Titre",
        mandate="Mandat",
        phases={first.pk: ("Commentaires", "Dites-nous."), second.pk: ("", "")},
    )

    assert list(PhaseTranslation.objects.values_list("phase_id", "title")) == [
        (first.pk, "Commentaires")
    ]


def test_a_phase_description_without_a_title_names_the_phase_field(trilingual, translator):
    phase = PhaseFactory(process=trilingual)

    with pytest.raises(ValidationError) as refused:
        publish_language_version(
            actor=translator,
            process=trilingual,
            language="fr",
            title="Titre",
            mandate="Mandat",
            phases={phase.pk: ("", "Une description sans titre.")},
        )

    assert list(refused.value.message_dict) == [f"phase_{phase.pk}_title"]


def test_withdrawing_a_translation_removes_its_phases_and_is_recorded(trilingual, translator):
    phase = PhaseFactory(process=trilingual)
    publish_language_version(
        actor=translator,
        process=trilingual,
        language="fr",
        title="Titre",
        mandate="Mandat",
        phases={phase.pk: ("Phase", "")},
    )

    withdraw_process_translation(actor=translator, process=trilingual, language="fr")

    assert ProcessTranslation.objects.count() == 0
    assert PhaseTranslation.objects.count() == 0
    assert RecordEntry.objects.filter(kind="process.translation_withdrawn").count() == 1


def test_the_api_gives_the_process_and_phase_translations_without_the_translator(
    client, trilingual, translator
):
    phase = PhaseFactory(process=trilingual, title="Comments")
    publish_language_version(
        actor=translator,
        process=trilingual,
        language="fr",
        title="Titre",
        mandate="Mandat",
        phases={phase.pk: ("Commentaires", "")},
    )

    body = client.get(f"/api/v1/processes/{trilingual.slug}").json()

    assert body["original_language"] == "en"
    assert [(t["language"], t["title"], t["mandate"]) for t in body["translations"]] == [
        ("fr", "Titre", "Mandat")
    ]
    assert body["phases"][0]["translations"] == [
        {"language": "fr", "title": "Commentaires", "description": ""}
    ]
    assert "tariq" not in str(body)


def test_the_translations_pages_are_for_translators_and_the_secretariat_only(
    client, trilingual, participant
):
    client.force_login(participant)

    responses = [
        client.get(f"/p/{trilingual.slug}/translations/"),
        client.post(f"/p/{trilingual.slug}/translations/fr/", {"title": "x", "mandate": "y"}),
    ]

    assert [r.status_code for r in responses] == [403, 403]
    assert ProcessTranslation.objects.count() == 0


def test_a_translator_publishes_through_the_page_and_errors_come_back_on_the_form(
    client, trilingual, translator
):
    phase = PhaseFactory(process=trilingual)
    client.force_login(translator)
    url = f"/p/{trilingual.slug}/translations/fr/"

    refused = client.post(
        url, {"title": "Titre", "mandate": "Mandat", f"phase_{phase.pk}_description": "Sans titre"}
    )
    published = client.post(
        url, {"title": "Titre", "mandate": "Mandat", f"phase_{phase.pk}_title": "Phase"}
    )

    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    assert published.status_code == 302
    assert PhaseTranslation.objects.get().title == "Phase"
    assert client.get(f"/p/{trilingual.slug}/translations/es/").status_code == 404
