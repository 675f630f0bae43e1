"""An input carries the language it is written in: from the profile, changeable per input, and
readers filter by it on the list and in the API."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from polyvox.contributions.models import Contribution
from polyvox.contributions.services.submitting import edit_contribution, submit_contribution
from polyvox.participants.models import Profile
from tests.factories import UserFactory, submit_comment

pytestmark = pytest.mark.django_db


def _speaks(user, *languages):
    Profile.objects.filter(user=user).update(languages=list(languages))
    user.profile.refresh_from_db()
    return user


def _general(author, process, body="A point.", **kwargs):
    return submit_contribution(author=author, process=process, kind="general", body=body, **kwargs)


def test_an_input_takes_the_first_profile_language_the_site_has(open_phase, participant):
    _speaks(participant, "sw", "fr", "en")

    contribution = _general(participant, open_phase.process)

    assert contribution.language == "fr"


def test_without_profile_languages_an_input_takes_the_page_language(open_phase, participant):
    _speaks(participant)

    with translation.override("es"):
        contribution = _general(participant, open_phase.process)

    assert contribution.language == "es"


def test_the_author_may_say_another_language_for_one_input(open_phase, participant):
    _speaks(participant, "fr")

    contribution = _general(participant, open_phase.process, language="AR")

    assert Contribution.objects.get(pk=contribution.pk).language == "ar"


@pytest.mark.parametrize("language", ["klingon", "de", "<b>", "x" * 40])
def test_a_language_the_site_does_not_have_is_refused_and_nothing_is_saved(
    open_phase, participant, language
):
    with pytest.raises(ValidationError) as refused:
        _general(participant, open_phase.process, language=language)

    assert list(refused.value.message_dict) == ["language"]
    assert Contribution.objects.count() == 0


def test_the_author_corrects_the_language_of_an_input(open_phase, participant):
    contribution = _general(participant, open_phase.process, language="en")

    edit_contribution(
        author=participant, contribution=contribution, body=contribution.body, language="fr"
    )

    contribution.refresh_from_db()
    assert (contribution.language, contribution.revisions.count()) == ("fr", 1)


def test_the_form_is_preset_to_the_profile_language_and_keeps_a_choice(
    client, open_phase, participant
):
    _speaks(participant, "ru")
    client.force_login(participant)
    url = f"/p/{open_phase.process.slug}/contribute/general/"

    page = client.get(url)
    response = client.post(url, {"body": "Un point.", "language": "fr"})

    assert page.context["form"]["language"].initial == "ru"
    assert response.status_code == 302
    assert Contribution.objects.get().language == "fr"


def test_the_form_shows_a_refused_language_and_saves_nothing(client, open_phase, participant):
    client.force_login(participant)
    url = f"/p/{open_phase.process.slug}/contribute/general/"

    response = client.post(url, {"body": "Un point.", "language": "tlh"})

    assert response.status_code == 200
    assert "Choose one of the languages listed." in response.content.decode()
    assert Contribution.objects.count() == 0


def test_a_section_comment_sent_without_the_field_takes_the_profile_language(
    client, open_phase, participant, section
):
    _speaks(participant, "ar")
    client.force_login(participant)

    client.post(f"/p/{open_phase.process.slug}/sections/{section.pk}/comment/", {"body": "تعليق"})

    assert Contribution.objects.get().language == "ar"


@pytest.fixture
def three_languages(open_phase, participant):
    """An English, a French and an Arabic input, in that order."""
    return [
        _general(participant, open_phase.process, body=body, language=code)
        for body, code in (("In English.", "en"), ("En français.", "fr"), ("بالعربية.", "ar"))
    ]


def test_the_public_list_filters_by_language_and_marks_each_text(client, three_languages):
    process = three_languages[0].process

    page = client.get(f"/p/{process.slug}/contributions/", {"language": "fr"}).content.decode()

    assert "En français." in page
    assert "In English." not in page
    assert "بالعربية." not in page
    assert 'class="contribution-text" lang="fr" dir="auto"' in page
    assert "language=fr" in page  # the download links keep the filter


def test_the_downloads_keep_the_language_filter(client, three_languages):
    process = three_languages[0].process

    csv = client.get(f"/p/{process.slug}/contributions.csv", {"language": "ar"})

    body = b"".join(csv.streaming_content).decode()
    assert "بالعربية." in body
    assert "In English." not in body


def test_the_api_lists_by_language_and_gives_each_input_its_language(client, three_languages):
    process = three_languages[0].process

    response = client.get(f"/api/v1/processes/{process.slug}/contributions", {"language": "ar"})

    assert response.status_code == 200
    assert [(row["text"], row["language"]) for row in response.json()] == [("بالعربية.", "ar")]


def test_the_api_refuses_an_unknown_language_filter_with_400(client, three_languages):
    process = three_languages[0].process

    response = client.get(f"/api/v1/processes/{process.slug}/contributions", {"language": "xx"})

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["language"]


def test_the_api_takes_the_language_of_a_new_input(client, open_phase, participant):
    client.force_login(participant)

    response = client.post(
        f"/api/v1/processes/{open_phase.process.slug}/contributions",
        {"kind": "general", "text": "Un point.", "language": "fr"},
        content_type="application/json",
    )
    refused = client.post(
        f"/api/v1/processes/{open_phase.process.slug}/contributions",
        {"kind": "general", "text": "Un point.", "language": "zz"},
        content_type="application/json",
    )

    assert (response.status_code, response.json()["language"]) == (201, "fr")
    assert refused.status_code == 400
    assert list(refused.json()["fields"]) == ["language"]
    assert Contribution.objects.count() == 1


def test_an_input_page_marks_a_reply_with_its_own_language(
    client, open_phase, participant, section
):
    comment = submit_comment(participant, section, "A comment in English.", language="en")
    other = UserFactory(username="samir")
    submit_contribution(
        author=other,
        process=open_phase.process,
        kind="reply",
        body="ردّ بالعربية",
        parent=comment,
        language="ar",
    )

    page = client.get(comment.get_absolute_url()).content.decode()

    assert 'lang="en" dir="auto"' in page
    assert 'lang="ar" dir="auto"' in page
