"""The UI is translated: the French, Spanish and Arabic catalogues are complete and compiled,
and pages render in the chosen language (Arabic right-to-left)."""

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from polyvox.processes.models import Process

LOCALE = Path(settings.LOCALE_PATHS[0])
COMPLETE = ["fr", "es", "ar"]
PLURAL_FORMS = {"fr": 2, "es": 2, "ar": 6, "ru": 3, "zh_Hans": 1}


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file (obsolete '#~' entries skipped): enough of the format for these
    checks, with no dependency beyond the standard library."""
    entries: list[Entry] = []
    entry = Entry()
    current: str | int = ""
    flags: set[str] = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#,"):
            flags = {flag.strip() for flag in line[2:].split(",")}
            continue
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgctxt ") or (line.startswith("msgid ") and current != "msgctxt"):
            entry = Entry(flags=flags)
            entries.append(entry)
            flags = set()
        if line.startswith('"'):
            value = ast.literal_eval(line)
        else:
            keyword, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            current = int(keyword[7:-1]) if keyword.startswith("msgstr[") else keyword
            if current == "msgstr":
                current = 0
            if isinstance(current, int):
                entry.msgstr[current] = ""
            elif current != "msgid":
                setattr(entry, current, "")
        if isinstance(current, int):
            entry.msgstr[current] += value
        else:
            setattr(entry, current, (getattr(entry, current) or "") + value)
    return [e for e in entries if e.msgid]


def _po(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("lang", COMPLETE)
def test_catalogue_is_complete(lang: str) -> None:
    entries = parse_po(_po(lang))
    assert len(entries) > 500
    untranslated = [e.msgid for e in entries if not all(e.msgstr.values())]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize(("lang", "forms"), PLURAL_FORMS.items())
def test_plural_entries_have_every_form_of_the_language(lang: str, forms: int) -> None:
    text = _po(lang).read_text(encoding="utf-8")
    assert f"nplurals={forms};" in text
    for entry in parse_po(_po(lang)):
        if entry.msgid_plural and any(entry.msgstr.values()):
            assert sorted(entry.msgstr) == list(range(forms)), entry.msgid


@pytest.mark.parametrize("lang", PLURAL_FORMS)
def test_catalogue_is_compiled(lang: str) -> None:
    mo = _po(lang).with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run manage.py compilemessages"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "fr",
            {
                "Processes": "Processus",
                "Log in": "Se connecter",
                "Register": "S\u2019inscrire",
                "Feedback report": "Rapport de suivi",
                "Civil society": "Société civile",
                "Stakeholder group": "Groupe de parties prenantes",
            },
        ),
        (
            "es",
            {
                "Processes": "Procesos",
                "Log in": "Iniciar sesión",
                "Register": "Registrarse",
                "Feedback report": "Informe de seguimiento",
                "Civil society": "Sociedad civil",
            },
        ),
        (
            "ar",
            {
                "Processes": "العمليات",
                "Log in": "تسجيل الدخول",
                "Register": "التسجيل",
                "Feedback report": "تقرير الردود",
                "Civil society": "المجتمع المدني",
            },
        ),
        ("ru", {"Processes": "Процессы", "Log in": "Войти"}),
        ("zh-hans", {"Processes": "进程", "Log in": "登录"}),
    ],
)
def test_key_strings_are_translated_at_runtime(lang: str, expected: dict[str, str]) -> None:
    with translation.override(lang):
        got = {msgid: translation.gettext(msgid) for msgid in expected}
    assert got == expected


def test_plural_forms_follow_the_language() -> None:
    msg, plural = "%(counter)s participant", "%(counter)s participants"
    with translation.override("ar"):
        assert translation.ngettext(msg, plural, 2) % {"counter": 2} == "2 مشاركان"
    with translation.override("ru"):
        forms = [translation.ngettext(msg, plural, n) % {"counter": n} for n in (1, 3, 5)]
        assert forms == ["1 участник", "3 участника", "5 участников"]


@pytest.mark.parametrize(
    ("code", "direction", "word"),
    [("fr", "ltr", "Processus"), ("ar", "rtl", "العمليات"), ("es", "ltr", "Procesos")],
)
def test_pages_render_translated(
    client: Client, process: Process, code: str, direction: str, word: str
) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    for url in ("/", f"/p/{process.slug}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{code}" dir="{direction}">' in html
    assert word in client.get("/").content.decode()
