"""UN M49 countries and areas → region, sub-region and a Global South flag (data, not logic).

The table is `data/m49.csv`, transcribed from the UN Statistics Division's "Standard country or
area codes for statistical use (M49)" (https://unstats.un.org/unsd/methodology/m49/overview/).
Its `global_south` flag follows UNCTAD's classification of *developing economies*: Africa, Latin
America and the Caribbean, Asia except Israel, Japan and the Republic of Korea, and Oceania except
the M49 sub-region Australia and New Zealand. Europe, Northern America and Antarctica are not
Global South. `data/README.md` documents the columns and the rule in full.
"""

import csv
import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.lists import format_list
from django.utils.translation import get_language

M49_CSV = Path(__file__).resolve().parent / "data" / "m49.csv"


@dataclass(frozen=True)
class Region:
    """Where a country or area sits in M49, and whether it counts as Global South."""

    region: str
    sub_region: str
    global_south: bool


@dataclass(frozen=True)
class Country:
    """One row of the M49 table."""

    code: str
    m49_code: str
    name: str
    region: Region


@functools.cache
def countries() -> dict[str, Country]:
    """The whole table, keyed by ISO 3166-1 alpha-2 code; read once per process."""
    with M49_CSV.open(encoding="utf-8", newline="") as handle:
        return {
            row["iso_alpha2"]: Country(
                code=row["iso_alpha2"],
                m49_code=row["m49_code"],
                name=row["name"],
                region=Region(
                    region=row["region"],
                    sub_region=row["sub_region"],
                    global_south=row["global_south"] == "1",
                ),
            )
            for row in csv.DictReader(handle)
        }


def country(code: str) -> Country | None:
    return countries().get((code or "").strip().upper())


def region_of(country_code: str) -> Region | None:
    """The M49 region of an ISO alpha-2 code; None for an unknown or empty code."""
    found = country(country_code)
    return found.region if found else None


# The M49 codes of the regions and sub-regions in `data/m49.csv`, by their English M49 name: CLDR
# (through Babel) names these numeric "territories" in every language.
M49_AREA_CODES = {
    "Africa": "002",
    "Americas": "019",
    "Asia": "142",
    "Europe": "150",
    "Oceania": "009",
    "Northern Africa": "015",
    "Sub-Saharan Africa": "202",
    "Eastern Africa": "014",
    "Middle Africa": "017",
    "Southern Africa": "018",
    "Western Africa": "011",
    "Latin America and the Caribbean": "419",
    "Caribbean": "029",
    "Central America": "013",
    "South America": "005",
    "Northern America": "021",
    "Central Asia": "143",
    "Eastern Asia": "030",
    "South-eastern Asia": "035",
    "Southern Asia": "034",
    "Western Asia": "145",
    "Eastern Europe": "151",
    "Northern Europe": "154",
    "Southern Europe": "039",
    "Western Europe": "155",
    "Australia and New Zealand": "053",
    "Melanesia": "054",
    "Micronesia": "057",
    "Polynesia": "061",
}


@functools.lru_cache(maxsize=32)
def _cldr_locale(language: str) -> Locale | None:
    """Babel's CLDR data for a page language ("zh-hans" → zh_Hans); None for English, whose names
    stay the UN's own M49 names, and for a language CLDR does not know."""
    code = (language or "").strip()
    if not code or code.split("-", 1)[0].lower() == "en":
        return None
    try:
        return Locale.parse(code.replace("_", "-"), sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        return None


def country_name(country_code: str, language: str | None = None) -> str:
    """The country or area's name in `language` (the active one by default): CLDR's name, else
    the M49 English name; "" for an unknown or empty code."""
    found = country(country_code)
    if found is None:
        return ""
    locale = _cldr_locale(language if language is not None else (get_language() or ""))
    localized = locale.territories.get(found.code) if locale is not None else None
    return str(localized) if localized else found.name


def region_name(region: str, language: str | None = None) -> str:
    """An M49 region or sub-region's English name ("Sub-Saharan Africa", as `Region` holds it) in
    `language` (the active one by default); a name CLDR lacks stays in English."""
    code = M49_AREA_CODES.get(region or "")
    locale = _cldr_locale(language if language is not None else (get_language() or ""))
    if locale is None or code is None:
        return region or ""
    if code == "419":
        # CLDR's 419 is "Latin America" alone; M49's 419 includes the Caribbean (029).
        parts = [locale.territories.get("419"), locale.territories.get("029")]
        if all(parts):
            return str(format_list([str(part) for part in parts], locale=locale))
    localized = locale.territories.get(code)
    return str(localized) if localized else region


def is_known_country(country_code: str) -> bool:
    return country(country_code) is not None


def country_choices() -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name in the active language, for a form's select."""
    language = get_language() or ""
    return sorted(
        ((c.code, country_name(c.code, language)) for c in countries().values()),
        key=lambda pair: _sort_key(pair[1]),
    )


def _sort_key(name: str) -> str:
    """Sort "Åland Islands" with the A's and "Côte d'Ivoire" with the C's."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
