"""Named demo participants, shared by the demo, tests and benchmarks (like Zulip's hamlet and iago)."""

from dataclasses import dataclass

DEMO_PASSWORD = "community-networks-2026"  # noqa: S105 - published demo credentials, never used in production


@dataclass(frozen=True)
class Persona:
    username: str
    display_name: str
    stakeholder_group: str
    country: str
    organisation: str = ""  # the profile's free-text affiliation
    # The persona registers `organisation` as a record (and administers it) in the demo seeding.
    speaks_for_organisation: bool = False
    subgroup: str = ""
    languages: tuple[str, ...] = ("en",)
    interests: str = ""
    gender: str = ""  # private: only ever shown in aggregates
    is_staff: bool = False


SECRETARIAT = Persona(
    "sofia",
    "Sofia Mwangi",
    "intergovernmental",
    "KE",
    "Kenya IGF Secretariat",
    True,
    languages=("en", "fr"),
    interests="Process design",
    gender="woman",
    is_staff=True,
)
PERSONAS: tuple[Persona, ...] = (
    SECRETARIAT,
    Persona(
        "amina",
        "Amina Diallo",
        "civil_society",
        "SN",
        "Réseau Communautaire Ouest",
        True,
        "Community networks",
        ("fr", "en"),
        "Rural connectivity, spectrum",
        "woman",
    ),
    Persona(
        "kenji",
        "Kenji Watanabe",
        "private_sector",
        "JP",
        "Pacific Backhaul Ltd",
        True,
        "Telecom operators",
        ("en",),
        "Backhaul, wholesale access",
        "man",
    ),
    Persona(
        "lucia",
        "Lucía Fernández",
        "government",
        "AR",
        "Secretaría de Innovación",
        True,
        "Regulators",
        ("es", "en"),
        "Universal service funds",
        "woman",
    ),
    Persona(
        "oleg",
        "Oleg Petrov",
        "technical_community",
        "RU",
        "Open Mesh Foundation",
        False,
        "Network engineers",
        ("ru", "en"),
        "Mesh routing, open standards",
        "man",
    ),
    Persona(
        "priya",
        "Priya Raman",
        "academia",
        "IN",
        "Centre for Internet Policy",
        True,
        "Researchers",
        ("en",),
        "Affordability metrics",
        "woman",
    ),
    Persona(
        "tomas", "Tomás Novak", "individual", "CZ", languages=("en",), interests="Local ISP user"
    ),
    Persona(
        "layla",
        "Layla Haddad",
        "civil_society",
        "LB",
        "Digital Rights Levant",
        True,
        "Digital rights",
        ("ar", "en"),
        "Privacy, censorship resistance",
        "woman",
    ),
    Persona(
        "wei",
        "Wei Zhang",
        "technical_community",
        "CN",
        "Asia Open Networks Lab",
        False,
        "Researchers",
        ("zh-hans", "en"),
        "Low-cost hardware",
    ),
    Persona(
        "grace",
        "Grace Okafor",
        "government",
        "NG",
        "Ministry of Communications",
        True,
        "Ministries",
        ("en",),
        "Licensing",
        "woman",
    ),
    Persona(
        "henrik",
        "Henrik Larsen",
        "private_sector",
        "DK",
        "Nordic Satellite AS",
        False,
        "Satellite operators",
        ("en",),
        "LEO satellite backhaul",
        "man",
    ),
    Persona(
        "marc",
        "Marc Dubois",
        "intergovernmental",
        "CH",
        "Regional Telecommunity",
        True,
        "Intergovernmental organisations",
        ("fr", "en"),
        "Spectrum harmonisation",
        "man",
    ),
)
