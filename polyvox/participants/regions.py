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


def country_name(country_code: str) -> str:
    """The M49 English name, or "" for an unknown or empty code."""
    found = country(country_code)
    return found.name if found else ""


def is_known_country(country_code: str) -> bool:
    return country(country_code) is not None


def country_choices() -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name, for a form's select."""
    return sorted(
        ((c.code, c.name) for c in countries().values()), key=lambda pair: _sort_key(pair[1])
    )


def _sort_key(name: str) -> str:
    """Sort "Åland Islands" with the A's and "Côte d'Ivoire" with the C's."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
