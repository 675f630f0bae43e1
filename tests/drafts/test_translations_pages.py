"""Language versions on the draft pages and in the API: reading, the parity check, translating."""

import json

import pytest
from django.urls import reverse

from polyvox.drafts.models import VersionTranslation
from polyvox.drafts.services import publish_draft_version
from polyvox.drafts.translating import publish_translation

from .test_translations import FRENCH, V2

pytestmark = pytest.mark.django_db


def translate_url(process, language=""):
    url = reverse("drafts:translate", kwargs={"slug": process.slug, "draft": "principles"})
    return f"{url}?language={language}" if language else url


@pytest.fixture
def in_french(version1, translator):
    return publish_translation(
        actor=translator, version=version1, language="fr", sections=FRENCH, title="Projet"
    )


def test_the_version_page_shows_the_parity_of_each_declared_language(client, version1, in_french):
    html = client.get(version1.get_absolute_url()).content.decode()

    assert "Parity check against version 1" in html
    assert '<th scope="row">French</th>' in html
    assert '<th scope="row">Arabic</th>' in html
    assert "no translation yet" in html
    assert f'href="{version1.get_absolute_url()}?lang=fr"' in html


def test_a_reader_switches_to_the_french_version_marked_with_its_language(
    client, version1, in_french
):
    html = client.get(f"{version1.get_absolute_url()}?lang=fr").content.decode()

    assert '<span lang="fr" dir="auto">Projet</span>' in html
    assert '<h3 lang="fr" dir="auto">1. Spectre' in html
    assert "Les licences doivent être simples et bon marché." in html
    assert "Licences must be simple and cheap." not in html
    assert "You are reading the French version, translated from version 1" in html


def test_the_original_is_marked_with_its_language(client, version1):
    html = client.get(version1.get_absolute_url()).content.decode()

    assert '<h3 lang="en" dir="auto">1. Spectrum' in html
    assert '<div lang="en" dir="auto"><p>Licences must be simple and cheap.</p>' in html


def test_stale_and_missing_sections_are_flagged_on_the_draft_page(
    client, version1, in_french, secretariat
):
    version2 = publish_draft_version(actor=secretariat, draft=version1.draft, markdown=V2)

    html = client.get(f"{version2.get_absolute_url()}?lang=fr").content.decode()

    assert html.count("Outdated translation.") == 1
    assert "It was made from version 1; the original text of this section has changed" in html
    assert "Licences must be simple, cheap and quick." in html  # the current original, in details
    assert html.count("Not translated yet: this is the original text.") == 2
    assert '<section class="section translation-stale" id="2-licensing-p1">' in html
    assert '<section class="section translation-missing" id="3-backhaul">' in html
    assert "?lang=fr#2-licensing-p1" in html  # listed in the parity table


def test_asking_for_a_language_without_translation_shows_the_original(client, version1, in_french):
    html = client.get(f"{version1.get_absolute_url()}?lang=ar").content.decode()

    assert "There is no version in Arabic yet: this is the original text." in html
    assert "Licences must be simple and cheap." in html


def test_an_unknown_language_code_shows_the_original(client, version1, in_french):
    response = client.get(f"{version1.get_absolute_url()}?lang=<script>")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Licences must be simple and cheap." in html
    assert "There is no version in" not in html
    assert "&lt;script&gt;" not in html


def test_translate_links_are_shown_to_translators_only(client, version1, translator, participant):
    client.force_login(participant)
    assert "Translate into French" not in client.get(version1.get_absolute_url()).content.decode()
    client.force_login(translator)
    assert "Translate into French" in client.get(version1.get_absolute_url()).content.decode()


def test_a_translator_publishes_with_the_form(client, process, version1, translator):
    client.force_login(translator)
    assert client.get(translate_url(process)).status_code == 200  # the language picker
    page = client.get(translate_url(process, "fr"))
    assert page.status_code == 200
    assert 'lang="fr" dir="auto"' in page.content.decode()
    data = {f"section-{anchor}": text for anchor, text in FRENCH.items()}
    data["section-2-licensing-p1"] = ""
    data |= {"title": "Projet", "note": ""}

    response = client.post(translate_url(process, "fr"), data)

    assert response.status_code == 302
    assert response["Location"] == f"{version1.get_absolute_url()}?lang=fr"
    translation = VersionTranslation.objects.get()
    assert (translation.language, translation.title) == ("fr", "Projet")
    assert translation.sections.count() == 5


def test_an_empty_translation_form_shows_the_error_and_stores_nothing(
    client, process, version1, translator
):
    client.force_login(translator)

    response = client.post(translate_url(process, "fr"), {"title": "", "note": ""})

    assert response.status_code == 200
    assert "Translate at least one section." in response.content.decode()
    assert not VersionTranslation.objects.exists()


def test_the_translate_page_shows_how_a_stale_original_changed_and_a_confirm_box(
    client, process, version1, in_french, translator, secretariat
):
    publish_draft_version(actor=secretariat, draft=version1.draft, markdown=V2)
    client.force_login(translator)

    html = client.get(translate_url(process, "fr")).content.decode()

    assert "How the original changed since version 1:" in html
    changed = html.split("How the original changed since version 1:")[1].split("</div>")[0]
    assert "<ins>" in changed
    assert "quick." in changed
    assert 'name="confirm-2-licensing-p1"' in html
    assert 'name="confirm-1-spectrum"' not in html


def test_participants_may_not_open_the_translate_page(client, process, version1, participant):
    client.force_login(participant)

    assert client.get(translate_url(process, "fr")).status_code == 403
    assert client.post(translate_url(process, "fr"), {"section-1-spectrum": "x"}).status_code == 403
    assert not VersionTranslation.objects.exists()


def api(process, path):
    return f"/api/v1/processes/{process.slug}/drafts/principles{path}"


def test_the_api_gives_the_parity_check_of_the_latest_version(
    client, process, version1, in_french, secretariat
):
    publish_draft_version(actor=secretariat, draft=version1.draft, markdown=V2)

    body = client.get(api(process, "/parity")).json()

    assert (body["version"], body["original_language"]) == (2, "en")
    french, arabic = body["languages"]
    assert french["language"] == "fr"
    assert (french["translated_version"], french["complete"]) == (1, False)
    assert (french["current"], french["stale"], french["missing"]) == (5, 1, 2)
    assert french["stale_sections"] == ["2-licensing-p1"]
    assert french["missing_sections"] == ["3-backhaul", "3-backhaul-p1"]
    assert (arabic["language"], arabic["translated_version"], arabic["url"]) == ("ar", None, None)
    assert "translated_by" not in json.dumps(body)


def test_the_api_reads_a_version_in_french(client, process, version1, in_french):
    body = client.get(api(process, "/versions/1/translations/fr")).json()

    assert (body["language"], body["title"], body["translated_version"]) == ("fr", "Projet", 1)
    assert body["sections"][2] == {
        "anchor": "1-spectrum", "order": 3, "level": 2, "status": "current",
        "heading": "1. Spectre", "text": "", "source_version": 1,
    }  # fmt: skip
    assert client.get(api(process, "/versions/1/translations/ar")).status_code == 404


def test_a_translator_publishes_through_the_api(client, process, version1, translator):
    client.force_login(translator)

    response = client.post(
        api(process, "/translations/fr"),
        {"sections": {"1-spectrum": "1. Spectre"}, "title": "Projet"},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["sections"][2]["status"] == "current"
    assert response.json()["sections"][3]["status"] == "missing"


def test_the_api_refuses_bad_translations_and_strangers(
    client, process, version1, translator, participant
):
    client.force_login(translator)
    bad = client.post(
        api(process, "/translations/fr"),
        {"sections": {"nope": "x"}},
        content_type="application/json",
    )
    client.force_login(participant)
    stranger = client.post(
        api(process, "/translations/fr"),
        {"sections": {"1-spectrum": "x"}},
        content_type="application/json",
    )

    assert (bad.status_code, list(bad.json()["fields"])) == (400, ["sections"])
    assert stranger.status_code == 403
    assert not VersionTranslation.objects.exists()
