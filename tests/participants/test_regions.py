"""The M49 table: known countries land in the right region, codes are clean, the South is UNCTAD's."""

import csv

import pytest

from polyvox.participants.regions import (
    M49_CSV,
    Region,
    countries,
    country_choices,
    country_name,
    region_of,
)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("KE", Region("Africa", "Sub-Saharan Africa", global_south=True)),
        ("DE", Region("Europe", "Western Europe", global_south=False)),
        ("BR", Region("Americas", "Latin America and the Caribbean", global_south=True)),
        ("JP", Region("Asia", "Eastern Asia", global_south=False)),
        ("US", Region("Americas", "Northern America", global_south=False)),
        ("IN", Region("Asia", "Southern Asia", global_south=True)),
        ("KR", Region("Asia", "Eastern Asia", global_south=False)),
        ("FJ", Region("Oceania", "Melanesia", global_south=True)),
        ("NZ", Region("Oceania", "Australia and New Zealand", global_south=False)),
        ("EG", Region("Africa", "Northern Africa", global_south=True)),
    ],
)
def test_known_countries_map_to_their_m49_region(code, expected):
    assert region_of(code) == expected


def test_codes_are_matched_ignoring_case_and_spaces():
    assert region_of(" ke ") == region_of("KE")


@pytest.mark.parametrize("code", ["XX", "", "KEN", "TW"])
def test_an_unknown_code_has_no_region(code):
    assert region_of(code) is None


def test_every_code_is_unique_and_two_capital_letters():
    with M49_CSV.open(encoding="utf-8", newline="") as handle:
        codes = [row["iso_alpha2"] for row in csv.DictReader(handle)]

    assert len(codes) == len(set(codes)) == 248
    assert all(len(code) == 2 and code.isascii() and code.isupper() for code in codes)


def test_every_m49_code_is_three_digits_and_unique():
    m49_codes = [country.m49_code for country in countries().values()]

    assert len(set(m49_codes)) == len(m49_codes)
    assert all(len(code) == 3 and code.isdigit() for code in m49_codes)


def test_only_antarctica_has_no_region():
    without_region = [code for code, country in countries().items() if not country.region.region]

    assert without_region == ["AQ"]


def test_europe_and_northern_america_are_never_global_south():
    northern = [
        c.code
        for c in countries().values()
        if c.region.global_south
        and (c.region.region == "Europe" or c.region.sub_region == "Northern America")
    ]

    assert northern == []


def test_country_names_are_the_m49_english_names():
    assert country_name("GB") == "United Kingdom of Great Britain and Northern Ireland"
    assert country_name("TR") == "Türkiye"
    assert country_name("ZZ") == ""


def test_country_choices_are_sorted_by_name_with_accents_folded():
    names = [name for _code, name in country_choices()]

    assert len(names) == 248
    assert names[0] == "Afghanistan"
    assert names[1] == "Åland Islands"
    assert names.index(country_name("CI")) == names.index("Costa Rica") + 1
