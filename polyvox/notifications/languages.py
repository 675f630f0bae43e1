"""Which language each person's e-mails and notifications are written in, and texts composed in
every site language.

A person's language is, in order: the one stored for them (`EmailLanguage`: set from the page's
language when they first follow a process or save their preferences, or chosen on the
preferences page); else the first of the languages their profile says they speak that the site
offers; else settings.LANGUAGE_CODE. A visitor following by e-mail gets the language of the page
on which they asked to follow (`Follow.language`).
"""

from collections.abc import Iterable

from django.conf import settings
from django.utils import translation

from polyvox.notifications.models import EmailLanguage
from polyvox.participants.models import Profile, User
from polyvox.processes.publishing import Compose as Compose  # one definition, re-exported

# (subject, body) composed by Polyvox in one language.
Text = tuple[str, str]


def site_languages() -> list[str]:
    return [str(code) for code, _name in settings.LANGUAGES]


def site_language(code: str | None) -> str:
    """`code` as a site language (`fr-CA` → `fr`, `zh-Hans` → `zh-hans`), or "" if none."""
    wanted = (code or "").strip().lower().replace("_", "-")
    offered = site_languages()
    if wanted in offered:
        return wanted
    base = wanted.split("-", 1)[0]
    if base in offered:
        return base
    if base == "zh" and "zh-hans" in offered:
        return "zh-hans"
    return ""


def active_language() -> str:
    """The language of the page being served (or the site's, outside a request)."""
    return site_language(translation.get_language()) or str(settings.LANGUAGE_CODE)


def reader_language(code: str | None) -> str:
    """A stored language (a visitor's follow) as a site language, else the site's."""
    return site_language(code) or str(settings.LANGUAGE_CODE)


def fallback_language(spoken: Iterable[object]) -> str:
    """The first of the languages a profile lists that the site offers, else the site's."""
    for code in spoken or ():
        language = site_language(str(code))
        if language:
            return language
    return str(settings.LANGUAGE_CODE)


def recipient_languages(user_ids: list[int]) -> dict[int, str]:
    """Each user's e-mail language, in two queries whatever the number of users."""
    if not user_ids:
        return {}
    stored = dict(
        EmailLanguage.objects.filter(user_id__in=user_ids).values_list("user_id", "language")
    )
    spoken = dict(Profile.objects.filter(user_id__in=user_ids).values_list("user_id", "languages"))
    return {
        pk: site_language(stored.get(pk)) or fallback_language(spoken.get(pk) or [])
        for pk in user_ids
    }


def email_language(user: User) -> str:
    return recipient_languages([user.pk])[user.pk]


def remember_language(user: User, language: str, *, replace: bool) -> None:
    """Store `user`'s e-mail language; unless `replace`, only if none is stored yet."""
    language = site_language(language)
    if not language:
        return
    if replace:
        EmailLanguage.objects.update_or_create(user=user, defaults={"language": language})
    else:
        EmailLanguage.objects.get_or_create(user=user, defaults={"language": language})


def in_language(language: str, compose: Compose) -> Text:
    """`compose(language)` with `language` active, so `gettext` answers in it."""
    with translation.override(language):
        subject, body = compose(language)
    return str(subject), str(body)


def in_every_language(compose: Compose) -> dict[str, Text]:
    """`compose` run once per site language (each with its language active)."""
    return {language: in_language(language, compose) for language in site_languages()}
