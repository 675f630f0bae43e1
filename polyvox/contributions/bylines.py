"""Who the public sees as an input's author, and who the secretariat sees.

A process's identity policy (`Process.identity_policy`) decides what an author may choose:
under REAL_NAMES every input carries its author's display name; under PSEUDONYMS_ALLOWED the
author chooses, per input, to publish under their name, their alias (`Profile.alias`) or
anonymously, as the EU's "Have your say" lets a respondent keep their name from the public.

The public byline is a snapshot taken at submission (`Contribution.author_name`): every public
page, export, API answer, search and the record show that snapshot and nothing else, so the
choice cannot leak through a later profile change. The verified account behind it is for the
process's secretariat only (`secretariat_identity`), read on the workbench and the answer page.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from polyvox.contributions.models import Contribution, Publication
from polyvox.participants.models import Profile
from polyvox.processes.models import IdentityPolicy, Process

# Stored untranslated in `author_name` (the record and the downloads are data, the same in every
# language); pages translate it with `public_name`.
ANONYMOUS_BYLINE = gettext_noop("Anonymous participant")


class Byline(models.TextChoices):
    """What an author chooses to publish under (the form's and the API's `publication`).

    `Contribution.publication` stores the same choice, so the secretariat and the statistics can
    tell a name from an alias."""

    NAMED = Publication.NAMED.value, gettext_lazy("My name")
    ALIAS = Publication.ALIAS.value, gettext_lazy("My alias")
    ANONYMOUS = Publication.ANONYMOUS.value, gettext_lazy("Anonymously")


def pseudonyms_allowed(process: Process) -> bool:
    return process.identity_policy == IdentityPolicy.PSEUDONYMS_ALLOWED


def byline_choices(process: Process, profile: Profile | None) -> list[tuple[str, str]]:
    """The choices an author has in `process`: none to make under REAL_NAMES; their alias only
    once they have set one."""
    if not pseudonyms_allowed(process):
        return []
    alias = profile.alias if profile is not None else ""
    name = profile.display_name if profile is not None else ""
    choices = [
        (Byline.NAMED.value, _("My name (%(name)s)") % {"name": name} if name else _("My name"))
    ]
    if alias:
        choices.append((Byline.ALIAS.value, _("My alias (%(alias)s)") % {"alias": alias}))
    choices.append(
        (Byline.ANONYMOUS.value, _("Anonymously (“%(byline)s”)") % {"byline": _(ANONYMOUS_BYLINE)})
    )
    return choices


def chosen_byline(
    *, process: Process, profile: Profile, choice: str, speaks_for_organisation: bool
) -> tuple[str, str]:
    """(author_name, publication) for an input published as `choice`; refused with a field
    error where the process's policy or the author's profile does not allow it."""
    if choice not in Byline.values:
        raise ValidationError(
            {"publication": _("Publish under your name, your alias or anonymously.")}
        )
    if choice != Byline.NAMED and not pseudonyms_allowed(process):
        raise ValidationError(
            {
                "publication": _(
                    "This process publishes every input under its author's name: it does not "
                    "allow aliases or anonymous inputs."
                )
            }
        )
    if choice == Byline.ALIAS and not profile.alias:
        raise ValidationError(
            {"publication": _("Set an alias on your profile first, or choose another byline.")}
        )
    if choice == Byline.ANONYMOUS and speaks_for_organisation:
        # An organisation speaking is public by nature: its statement names it.
        raise ValidationError(
            {
                "publication": _(
                    "An input on behalf of an organisation names the organisation, so it cannot "
                    "be anonymous. Post it as yourself to publish it anonymously."
                )
            }
        )
    if choice == Byline.ALIAS:
        return profile.alias, Publication.ALIAS
    if choice == Byline.ANONYMOUS:
        return ANONYMOUS_BYLINE, Publication.ANONYMOUS
    return profile.display_name, Publication.NAMED


def public_name(author_name: str) -> str:
    """A stored byline as pages show it: the anonymous one in the reader's language."""
    return _(ANONYMOUS_BYLINE) if author_name == ANONYMOUS_BYLINE else author_name


def public_byline(contribution: Contribution) -> str:
    """What the public sees as the author: the byline chosen at submission (name, alias or
    "Anonymous participant"), with the organisation only when the input speaks for it."""
    if contribution.publication == Publication.ANONYMOUS:
        name = _(ANONYMOUS_BYLINE)
    else:
        name = public_name(contribution.author_name)
    if contribution.on_behalf_of_organisation and contribution.organisation:
        return _("%(name)s, on behalf of %(organisation)s") % {
            "name": name,
            "organisation": contribution.organisation,
        }
    return name


def secretariat_identity(contribution: Contribution) -> dict[str, Any]:
    """The verified account behind an input, for the process's secretariat only.

    Its display name, username, e-mail domain and whether the address is verified, the
    affiliation its profile declares, and the alias. Never call it for a public page: the
    template tag `verified_identity` checks the viewer first."""
    author = contribution.author
    profile: Profile | None = getattr(author, "profile", None)
    email = author.email or ""
    return {
        "display_name": profile.display_name if profile is not None else author.get_username(),
        "username": author.get_username(),
        "email_domain": email.rpartition("@")[2].lower() if "@" in email else "",
        "email_verified": author.email_verified,
        "affiliation": profile.organisation if profile is not None else "",
        "alias": profile.alias if profile is not None else "",
        "closed": author.closed_at is not None,
        "publication": contribution.publication,
        "byline": public_name(contribution.author_name),
    }
