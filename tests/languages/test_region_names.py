"""Country and region names follow the page's language (CLDR through Babel); English keeps the
UN's own M49 names, and the stored data keep the English M49 names whatever the language."""

import pytest
from django.utils import translation

from polyvox.organisations.selectors import organisation_place
from polyvox.participants.regions import country_choices, country_name, region_name, region_of
from polyvox.participants.selectors import public_profile
from tests.factories import UserFactory, make_organisation


def test_english_keeps_the_un_m49_names():
    assert country_name("GB", "en") == "United Kingdom of Great Britain and Northern Ireland"
    assert region_name("Sub-Saharan Africa", "en") == "Sub-Saharan Africa"


@pytest.mark.parametrize(
    ("language", "kenya", "africa"),
    [
        ("fr", "Kenya", "Afrique"),
        ("ar", "كينيا", "أفريقيا"),
        ("zh-hans", "肯尼亚", "非洲"),
        ("es", "Kenia", "África"),
        ("ru", "Кения", "Африка"),
    ],
)
def test_country_and_region_names_in_each_un_language(language, kenya, africa):
    assert country_name("KE", language) == kenya
    assert region_name("Africa", language) == africa


def test_the_active_language_is_the_default():
    with translation.override("fr"):
        assert country_name("DE") == "Allemagne"
        assert region_name("Latin America and the Caribbean") == "Amérique latine et Caraïbes"


def test_unknown_codes_and_names_stay_as_they_are():
    assert country_name("ZZ", "fr") == ""
    assert region_name("Atlantis", "fr") == "Atlantis"
    assert region_name("", "fr") == ""


def test_the_region_data_stay_in_english_whatever_the_language():
    with translation.override("ar"):
        assert region_of("KE").region == "Africa"


def test_the_country_list_of_forms_is_named_and_sorted_in_the_page_language():
    with translation.override("fr"):
        names = dict(country_choices())

    assert names["DE"] == "Allemagne"
    codes = [code for code, _name in country_choices()]
    assert codes.index("AL") < codes.index("DZ")  # Albania before Algeria in English


@pytest.mark.django_db
def test_a_public_profile_names_its_region_in_the_page_language():
    person = UserFactory(profile={"country": "KE"})

    with translation.override("fr"):
        shown = public_profile(viewer=None, user=person)

    assert (shown.country_name, shown.region, shown.sub_region) == (
        "Kenya",
        "Afrique",
        "Afrique subsaharienne",
    )


@pytest.mark.django_db
def test_an_organisation_page_names_its_country_and_region_in_arabic():
    organisation = make_organisation("Rhizomatica", country="MX")

    with translation.override("ar"):
        place = organisation_place(organisation)

    assert place is not None
    assert place.name == "المكسيك"
    assert place.region is not None
    assert place.region.region == "الأمريكتان"
