"""Which language codes a profile accepts: the UN six (as in settings.LANGUAGES) or ISO 639-ish codes.

Kept deliberately simple: a code is accepted if it is the code of one of the six UN languages as
the platform spells them (ar, zh-hans, en, fr, ru, es) or looks like an ISO 639-1/639-3 code,
optionally with subtags (BCP 47 shape): two or three lowercase letters, then "-" and 2 to 8 letters
or digits, e.g. "sw", "pt", "pt-br", "yue". We check the shape, not a registry of all languages.
"""

import re

from django.conf import settings

_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")


def un_language_choices() -> list[tuple[str, str]]:
    """The six UN languages, (code, label), in the order of settings.LANGUAGES."""
    return [(code, str(label)) for code, label in settings.LANGUAGES]


def un_language_codes() -> frozenset[str]:
    return frozenset(code for code, _label in settings.LANGUAGES)


def normalize_language_code(code: str) -> str:
    return code.strip().lower().replace("_", "-")


def is_valid_language_code(code: str) -> bool:
    return code in un_language_codes() or bool(_LANGUAGE_CODE.match(code))


def split_language_codes(text: str) -> list[str]:
    """ "sw, pt-BR  yue" → ["sw", "pt-br", "yue"] (commas or spaces separate codes)."""
    return [normalize_language_code(part) for part in re.split(r"[,\s;]+", text) if part.strip()]
