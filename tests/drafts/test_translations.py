"""Language versions of draft versions: publishing them, and the parity check (services, selectors)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from polyvox.drafts.hashing import text_sha256
from polyvox.drafts.models import DraftVersion, TranslatedSection, VersionTranslation
from polyvox.drafts.parity import language_parity
from polyvox.drafts.selectors import draft_parity, original_language
from polyvox.drafts.services import create_draft, publish_draft_version
from polyvox.drafts.translating import publish_translation
from polyvox.record.models import RecordEntry

from .conftest import V1

pytestmark = pytest.mark.django_db

FRENCH = {
    "principles-for-community-networks": "Principes pour les réseaux communautaires",
    "principles-for-community-networks-p1": "Les réseaux communautaires relient ceux que le marché oublie.",
    "1-spectrum": "1. Spectre",
    "1-spectrum-p1": "Les régulateurs devraient réserver du spectre aux réseaux communautaires.",
    "2-licensing": "2. Licences",
    "2-licensing-p1": "Les licences doivent être simples et bon marché.",
}
# Version 2 changes the licensing paragraph and adds a section on backhaul.
V2 = V1.replace(
    "Licences must be simple and cheap.", "Licences must be simple, cheap and quick."
) + ("\n## 3. Backhaul\n\nOpen fibre backhaul at cost.\n")


def statuses(parity):
    return {section.anchor: section.status for section in parity.sections}


def fresh(version):
    """The version read again, as a page would: with the process as stored now."""
    return DraftVersion.objects.select_related("draft__process").get(pk=version.pk)


def french(version):
    (entry,) = [p for p in draft_parity(fresh(version)) if p.language == "fr"]
    return entry


def test_a_translator_publishes_a_french_version_aligned_by_anchor(version1, translator):
    translation = publish_translation(
        actor=translator, version=version1, language="fr", sections=FRENCH,
        title="Projet de principes",
    )  # fmt: skip

    rows = list(translation.sections.order_by("order"))
    assert [r.anchor for r in rows] == [s.anchor for s in version1.sections.order_by("order")]
    assert (rows[2].heading, rows[2].level) == ("1. Spectre", 2)
    assert rows[3].text.startswith("Les régulateurs")
    assert translation.source_markdown.startswith("# Principes pour les réseaux communautaires\n\n")
    assert "## 1. Spectre" in translation.source_markdown
    assert french(version1).complete
    assert french(version1).counts == {"current": 6, "stale": 0, "missing": 0}


def test_the_publication_goes_on_the_record_with_hashes_and_without_the_translator(
    version1, translator
):
    translation = publish_translation(
        actor=translator, version=version1, language="fr", sections=FRENCH
    )

    entry = RecordEntry.objects.get(kind="translation.published")
    assert entry.payload["language"] == "fr"
    assert (entry.payload["version"], entry.payload["sections"], entry.payload["of"]) == (1, 6, 6)
    assert entry.payload["sha256"] == text_sha256(translation.source_markdown)
    assert entry.payload["section_hashes"][2] == {
        "anchor": "1-spectrum",
        "sha256": text_sha256("1. Spectre"),
    }
    assert "camille" not in str(entry.payload)


def test_sections_left_blank_are_missing_in_the_parity_check(version1, translator):
    partial = {anchor: text for anchor, text in FRENCH.items() if "licensing" not in anchor}
    partial["2-licensing"] = "   "

    publish_translation(actor=translator, version=version1, language="fr", sections=partial)

    parity = french(version1)
    assert parity.missing == ["2-licensing", "2-licensing-p1"]
    assert parity.counts == {"current": 4, "stale": 0, "missing": 2}
    assert not parity.complete


def test_a_new_original_version_makes_changed_sections_stale_and_added_ones_missing(
    version1, translator, secretariat
):
    publish_translation(actor=translator, version=version1, language="fr", sections=FRENCH)

    version2 = publish_draft_version(actor=secretariat, draft=version1.draft, markdown=V2)

    parity = french(version2)
    assert parity.translated_version == 1
    assert parity.stale == ["2-licensing-p1"]
    assert parity.missing == ["3-backhaul", "3-backhaul-p1"]
    assert parity.counts == {"current": 5, "stale": 1, "missing": 2}
    # Version 1 itself is still fully translated.
    assert french(version1).complete


def test_an_unchanged_stale_section_stays_stale_until_updated_or_confirmed(
    version1, translator, secretariat
):
    publish_translation(actor=translator, version=version1, language="fr", sections=FRENCH)
    version2 = publish_draft_version(actor=secretariat, draft=version1.draft, markdown=V2)
    with_backhaul = {**FRENCH, "3-backhaul": "3. Collecte", "3-backhaul-p1": "Fibre ouverte."}

    publish_translation(actor=translator, version=version2, language="fr", sections=with_backhaul)
    assert statuses(french(version2))["2-licensing-p1"] == "stale"

    publish_translation(
        actor=translator, version=version2, language="fr", sections=with_backhaul,
        confirmed=["2-licensing-p1"],
    )  # fmt: skip
    assert french(version2).complete


def test_an_updated_stale_section_becomes_current(version1, translator, secretariat):
    publish_translation(actor=translator, version=version1, language="fr", sections=FRENCH)
    version2 = publish_draft_version(actor=secretariat, draft=version1.draft, markdown=V2)
    updated = {
        **FRENCH,
        "2-licensing-p1": "Les licences doivent être simples, bon marché et rapides.",
    }

    publish_translation(actor=translator, version=version2, language="fr", sections=updated)

    parity = french(version2)
    assert (parity.translated_version, parity.stale, parity.missing) == (
        2, [], ["3-backhaul", "3-backhaul-p1"]
    )  # fmt: skip


def test_the_process_languages_are_listed_even_without_a_translation(version1, translator):
    parity = draft_parity(fresh(version1))

    assert [p.language for p in parity] == ["fr", "ar"]
    assert parity[1].translated_version is None
    assert parity[1].counts == {"current": 0, "stale": 0, "missing": 6}


def test_a_correction_is_a_new_publication_and_keeps_the_earlier_text(version1, translator):
    publish_translation(actor=translator, version=version1, language="fr", sections=FRENCH)
    corrected = {**FRENCH, "1-spectrum": "1. Fréquences"}

    publish_translation(actor=translator, version=version1, language="fr", sections=corrected)

    assert VersionTranslation.objects.filter(language="fr").count() == 2
    assert set(TranslatedSection.objects.filter(anchor="1-spectrum").values_list("heading", flat=True)) == {
        "1. Spectre", "1. Fréquences"
    }  # fmt: skip
    (entry,) = [s for s in french(version1).sections if s.anchor == "1-spectrum"]
    assert entry.translated == "1. Fréquences"


def test_publishing_the_same_translation_twice_is_refused(version1, translator):
    publish_translation(actor=translator, version=version1, language="fr", sections=FRENCH)

    with pytest.raises(ValidationError) as refused:
        publish_translation(actor=translator, version=version1, language="fr", sections=FRENCH)

    assert "sections" in refused.value.message_dict
    assert VersionTranslation.objects.count() == 1


def test_only_translators_and_the_secretariat_publish_translations(
    version1, translator, secretariat, participant
):
    with pytest.raises(PermissionDenied):
        publish_translation(actor=participant, version=version1, language="fr", sections=FRENCH)
    publish_translation(actor=secretariat, version=version1, language="ar", sections={
        "1-spectrum": "الطيف"
    })  # fmt: skip

    assert list(VersionTranslation.objects.values_list("language", flat=True)) == ["ar"]


@pytest.mark.parametrize(
    ("language", "sections", "field"),
    [
        ("en", FRENCH, "language"),  # the original's language
        ("xx", FRENCH, "language"),
        ("fr", {}, "sections"),
        ("fr", {"1-spectrum": "  \n "}, "sections"),
        ("fr", {"no-such-section": "Texte"}, "sections"),
        ("fr", {"1-spectrum": "Spectre " * 60}, "sections"),  # a heading over 300 characters
        ("fr", {"1-spectrum-p1": "Texte\x00"}, "sections"),
    ],
)
def test_bad_translations_are_refused_and_nothing_is_stored(
    version1, translator, language, sections, field
):
    with pytest.raises(ValidationError) as refused:
        publish_translation(
            actor=translator, version=version1, language=language, sections=sections
        )

    assert field in refused.value.message_dict
    assert VersionTranslation.objects.count() == 0
    assert not RecordEntry.objects.filter(kind="translation.published").exists()


def test_only_the_latest_version_can_be_translated(version1, translator, secretariat):
    publish_draft_version(actor=secretariat, draft=version1.draft, markdown=V2)

    with pytest.raises(ValidationError) as refused:
        publish_translation(actor=translator, version=version1, language="fr", sections=FRENCH)

    assert "version" in refused.value.message_dict


def test_the_original_language_is_the_drafts_own_or_the_processes_first(
    process, secretariat, translator
):
    process.languages = ["fr", "en"]
    own = create_draft(actor=secretariat, process=process, slug="a", title="A", language="es")
    inherited = create_draft(actor=secretariat, process=process, slug="b", title="B")

    assert (original_language(own), original_language(inherited)) == ("es", "fr")
    with pytest.raises(ValidationError):
        create_draft(actor=secretariat, process=process, slug="c", title="C", language="klingon")


def test_parity_is_computed_from_the_hash_of_the_original_text():
    class Row:
        def __init__(self, anchor, level, heading="", text="", sha=""):
            self.anchor, self.level, self.heading, self.text = anchor, level, heading, text
            self.source_number, self.source_sha256 = 1, sha

    original = [
        Row("a", 1, heading="Scope"),
        Row("a-p1", 0, text="Old words."),
        Row("b", 0, text="New."),
    ]
    translated = {
        "a": Row("a", 1, heading="Portée", sha=text_sha256("Scope")),
        "a-p1": Row("a-p1", 0, text="Anciens mots.", sha=text_sha256("Older words.")),
    }

    parity = language_parity(language="fr", version=2, original=original, translated=translated)

    assert statuses(parity) == {"a": "current", "a-p1": "stale", "b": "missing"}
