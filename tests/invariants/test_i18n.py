"""The six UN languages: pages switch language on request, and Arabic is laid out right-to-left."""

import pytest
from django.conf import settings


@pytest.mark.parametrize(("code", "direction"), [("ar", "rtl"), ("fr", "ltr"), ("zh-hans", "ltr")])
def test_pages_follow_the_chosen_language_and_its_direction(client, db, code, direction):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code

    html = client.get("/").content.decode()

    assert f'<html lang="{code}" dir="{direction}">' in html


def test_the_language_switcher_offers_the_six_un_languages(client, db):
    html = client.get("/").content.decode()

    assert [code for code, _name in settings.LANGUAGES] == ["ar", "zh-hans", "en", "fr", "ru", "es"]
    assert all(f'value="{code}"' in html for code, _name in settings.LANGUAGES)
