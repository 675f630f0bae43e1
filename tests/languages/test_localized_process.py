"""What a page in one language shows of a process: the translation, else the original."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polyvox.participants.models import User
from polyvox.processes.models import Phase, PhaseTranslation, Process, ProcessTranslation
from polyvox.processes.selectors import (
    localized_phase,
    localized_phases,
    localized_process,
    localized_processes,
)
from tests.factories import PhaseFactory, ProcessFactory, UserFactory

pytestmark = pytest.mark.django_db


def _translate(process: Process, language: str, title: str, **fields: str) -> ProcessTranslation:
    return ProcessTranslation.objects.create(
        process=process,
        language=language,
        title=title,
        mandate=fields.get("mandate", f"Mandate [{language}]"),
        how_it_works=fields.get("how_it_works", ""),
        translated_by=UserFactory(),
    )


def test_a_page_in_a_language_without_translation_shows_the_original_marked_with_its_language() -> (
    None
):
    process = ProcessFactory(title="Data governance", languages=["en", "fr"])

    shown = localized_process(process, "fr")

    assert (shown.title, shown.language, shown.is_translation) == ("Data governance", "en", False)


def test_a_page_in_french_shows_the_french_title_and_mandate() -> None:
    process = ProcessFactory(title="Data governance", languages=["en", "fr"])
    _translate(process, "fr", "Gouvernance des données", mandate="Recueillir des avis.")

    shown = localized_process(process, "fr")

    assert shown.title == "Gouvernance des données"
    assert shown.mandate == "Recueillir des avis."
    assert (shown.language, shown.is_translation, shown.original_language) == ("fr", True, "en")
    assert localized_process(process, "en").title == "Data governance"


def test_a_regional_language_falls_back_to_its_base_language() -> None:
    process = ProcessFactory(languages=["en", "fr"])
    _translate(process, "fr", "Titre")

    assert localized_process(process, "fr-ca").title == "Titre"


def test_how_it_works_left_blank_in_a_translation_shows_the_original_marked_as_such() -> None:
    process = ProcessFactory(languages=["en", "fr"], how_it_works="Steps in English.")
    _translate(process, "fr", "Titre", how_it_works="")

    shown = localized_process(process, "fr")

    assert (shown.how_it_works, shown.how_it_works_language) == ("Steps in English.", "en")


def test_a_translation_older_than_the_original_is_flagged_as_possibly_outdated() -> None:
    process = ProcessFactory(languages=["en", "fr"])
    translation = _translate(process, "fr", "Titre")
    ProcessTranslation.objects.filter(pk=translation.pk).update(
        updated_at=process.updated_at - timedelta(days=1)
    )

    assert localized_process(process, "fr").may_be_outdated is True


def test_many_processes_are_localised_in_one_query() -> None:
    processes = [ProcessFactory(languages=["en", "fr"]) for _ in range(4)]
    _translate(processes[1], "fr", "Deuxième")

    with CaptureQueriesContext(connection) as queries:
        shown = localized_processes(processes, "fr")

    assert len(queries.captured_queries) == 1
    assert [shown[p.pk].title for p in processes] == [
        processes[0].title,
        "Deuxième",
        processes[2].title,
        processes[3].title,
    ]


def test_a_phase_shows_its_translation_and_its_original_elsewhere() -> None:
    phase: Phase = PhaseFactory(process=ProcessFactory(languages=["en", "ar"]), title="Comments")
    translator: User = UserFactory()
    PhaseTranslation.objects.create(
        phase=phase, language="ar", title="التعليقات", description="", translated_by=translator
    )

    assert localized_phase(phase, "ar").title == "التعليقات"
    assert localized_phase(phase, "ar").language == "ar"
    assert localized_phase(phase, "fr").title == "Comments"
    assert localized_phases([phase], "ar")[phase.pk].is_translation is True
