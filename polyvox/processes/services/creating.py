"""Writes for processes: create one, with its creator as the first secretariat member."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polyvox.core.permissions import require
from polyvox.participants.models import User
from polyvox.processes.models import (
    DecisionMode,
    IdentityPolicy,
    Membership,
    ParticipationPolicy,
    Process,
    Role,
)
from polyvox.processes.permissions import can_create_process
from polyvox.processes.publishing import publish

UN_LANGUAGES = ("ar", "zh-hans", "en", "fr", "ru", "es")


@transaction.atomic
def create_process(
    *,
    actor: User,
    slug: str,
    title: str,
    mandate: str,
    languages: list[str] | None = None,
    decision_mode: str = DecisionMode.ADVISORY,
    identity_policy: str = IdentityPolicy.REAL_NAMES,
    participation_policy: str = ParticipationPolicy.OPEN,
    requires_statement_of_interest: bool = False,
    accepts_late_inputs: bool = False,
    how_it_works: str = "",
    template_name: str = "",
) -> Process:
    """Create a process; its creator becomes its first secretariat member."""
    require(can_create_process(actor), _("Only staff members can create processes."))
    languages = list(languages or ["en"])
    unknown = [code for code in languages if code not in UN_LANGUAGES]
    if unknown:
        raise ValidationError({"languages": _("Unknown language codes: %s") % ", ".join(unknown)})
    process = Process(
        slug=slug,
        title=title.strip(),
        mandate=mandate.strip(),
        languages=languages,
        decision_mode=decision_mode,
        identity_policy=identity_policy,
        participation_policy=participation_policy,
        requires_statement_of_interest=requires_statement_of_interest,
        accepts_late_inputs=accepts_late_inputs,
        how_it_works=how_it_works.strip(),
        template_name=template_name,
        created_by=actor,
    )
    process.full_clean()
    process.save()
    Membership.objects.create(process=process, user=actor, role=Role.SECRETARIAT)
    publish(
        process=process,
        kind="process.created",
        payload={
            "slug": process.slug,
            "title": process.title,
            "mandate": process.mandate,
            "languages": process.languages,
            "decision_mode": process.decision_mode,
            "identity_policy": process.identity_policy,
            "participation_policy": process.participation_policy,
            **({"template": process.template_name} if process.template_name else {}),
        },
    )
    return process
