"""What each role may do in a process: one table, read by the permission functions.

docs/roles.md prints the same table for people; tests/processes/test_roles.py walks every cell
of it through the permission functions, so the docs, the code and the tests cannot drift apart.
"""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from polyvox.processes.models import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class Capability(models.TextChoices):
    MANAGE_PROCESS = (
        "manage_process",
        _(
            "edit the process, its phases, members and invitations; import submissions; seed "
            "statements; read participants' statements of interest"
        ),
    )
    PUBLISH_VERSIONS = "publish_versions", _("prepare, preview and publish draft versions")
    SEE_WORKBENCH = (
        "see_workbench",
        _("see the workbench, assignments, internal notes, hidden inputs and campaign signals"),
    )
    ANSWER_INPUTS = "answer_inputs", _("answer inputs, one by one or as a campaign")
    REVIEW_ANSWERS = "review_answers", _("review another member's answer before it is published")
    MODERATE = "moderate", _("hide inputs and moderate proposed statements, with a reason")
    CLOSE_PROCESS = "close_process", _("close the process")
    DESIGNATE = (
        "designate",
        _("propose, confirm or revise consensus designations on recommendations"),
    )
    DECLARE_DECISIONS = (
        "declare_decisions",
        _("declare what the rule set decided on a recommendation"),
    )
    TAKE_PART = "take_part", _("take part (contribute, reply, vote), also where invitation-only")
    PUBLISH_TRANSLATIONS = (
        "publish_translations",
        _("publish language versions of the process texts and of draft versions"),
    )


_STAFF = {Role.SECRETARIAT, Role.CHAIR, Role.MODERATOR, Role.RAPPORTEUR}

CAPABILITIES: dict[Capability, frozenset[Role]] = {
    Capability.MANAGE_PROCESS: frozenset({Role.SECRETARIAT}),
    Capability.PUBLISH_VERSIONS: frozenset({Role.SECRETARIAT, Role.RAPPORTEUR}),
    Capability.SEE_WORKBENCH: frozenset(_STAFF),
    Capability.ANSWER_INPUTS: frozenset({Role.SECRETARIAT, Role.RAPPORTEUR}),
    Capability.REVIEW_ANSWERS: frozenset({Role.SECRETARIAT, Role.CHAIR}),
    Capability.MODERATE: frozenset({Role.SECRETARIAT, Role.MODERATOR}),
    Capability.CLOSE_PROCESS: frozenset({Role.SECRETARIAT, Role.CHAIR}),
    # ICANN GNSO Working Group Guidelines 3.6: the chair designates the level of consensus.
    Capability.DESIGNATE: frozenset({Role.CHAIR}),
    Capability.DECLARE_DECISIONS: frozenset({Role.SECRETARIAT, Role.CHAIR}),
    Capability.TAKE_PART: frozenset(_STAFF | {Role.PARTICIPANT}),
    Capability.PUBLISH_TRANSLATIONS: frozenset({Role.SECRETARIAT, Role.TRANSLATOR}),
}


def roles_with(capability: Capability) -> frozenset[Role]:
    return CAPABILITIES[capability]


# What each role is for, in a phrase: shown next to the role wherever one is chosen.
ROLE_DESCRIPTIONS: dict[Role, "StrPromise"] = {
    Role.SECRETARIAT: _("runs the process: settings, phases, members, drafts, answers, closing"),
    Role.CHAIR: _(
        "reviews answers, designates the level of consensus, declares decisions and closes the "
        "process"
    ),
    Role.MODERATOR: _("hides inputs that break the moderation policy, with a reason"),
    Role.RAPPORTEUR: _("prepares draft versions and answers inputs"),
    Role.OBSERVER: _("follows the process and its notifications, without taking part"),
    Role.PARTICIPANT: _("takes part, also where the process is open to invited participants only"),
    Role.TRANSLATOR: _("publishes language versions of the process texts and draft versions"),
}


def role_choices() -> list[tuple[str, str]]:
    """Each role with what it is for, e.g. "Chair — reviews answers … and closes the process"."""
    return [(role.value, f"{role.label} — {ROLE_DESCRIPTIONS[role]}") for role in Role]
