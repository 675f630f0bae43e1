"""Reads about processes and phases; time is always passed in."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from polyvox.core.permissions import Actor, require
from polyvox.participants.models import StatementOfInterest, User
from polyvox.participants.selectors import statement_of_interest_history
from polyvox.processes.models import (
    Invitation,
    Membership,
    PhaseChange,
    Process,
    ProcessTemplate,
    Role,
)
from polyvox.processes.participation import participant_sources
from polyvox.processes.permissions import can_see_participant_interests, is_secretariat
from polyvox.processes.process_templates import (
    BUILT_IN_TEMPLATES,
    PhaseSpec,
    ProcessTemplateSpec,
    built_in_template,
)


def processes_for(*, viewer: Actor | None) -> QuerySet[Process]:
    """Every process is public to read; participation rules apply to writing."""
    return Process.objects.order_by("-created_at")


def access_process(*, viewer: Actor | None, slug: str) -> Process:
    process = processes_for(viewer=viewer).filter(slug=slug).first()
    if process is None:
        raise Http404(_("No such process."))
    return process


def process_participants(process: Process) -> QuerySet[User]:
    """Everyone taking part: members (secretariat, invitees) and what the apps above register
    (contributors, voters; see `processes.participation`)."""
    taking_part = Q(memberships__process=process)
    for source in participant_sources():
        taking_part |= Q(pk__in=source(process))
    return User.objects.filter(taking_part, is_active=True).distinct().order_by("pk")


def participant_interests(
    *, viewer: Actor | None, process: Process, user: User
) -> QuerySet[StatementOfInterest]:
    """A participant's statement-of-interest revisions, newest first: for the person themself and
    this process's secretariat only (403 for anyone else)."""
    require(
        can_see_participant_interests(viewer, user, process),
        _("Only the participant and the secretariat of the process may see this statement."),
    )
    return statement_of_interest_history(user)


def _saved_spec(saved: ProcessTemplate) -> ProcessTemplateSpec:
    phases = tuple(
        PhaseSpec(
            kind=str(phase["kind"]),
            title=str(phase["title"]),
            min_days=phase.get("min_days"),
            default_days=int(phase["default_days"]),
        )
        for phase in saved.phases
    )
    return ProcessTemplateSpec(
        name=saved.name,
        title=saved.title,
        description=saved.description,
        how_it_works=saved.how_it_works,
        decision_mode=saved.decision_mode,
        identity_policy=saved.identity_policy,
        participation_policy=saved.participation_policy,
        phases=phases,
        built_in=False,
    )


def process_templates() -> list[ProcessTemplateSpec]:
    """Every template: the built-in ones (in their order), then those saved, by name.

    Templates are public: they hold a process design, never anyone's data."""
    return [
        *BUILT_IN_TEMPLATES,
        *(_saved_spec(t) for t in ProcessTemplate.objects.order_by("name")),
    ]


def process_template(name: str) -> ProcessTemplateSpec | None:
    """The template called `name`, built-in first; None if there is none."""
    spec = built_in_template(name)
    if spec is not None:
        return spec
    saved = ProcessTemplate.objects.filter(name=name).first()
    return _saved_spec(saved) if saved is not None else None


def process_members(*, viewer: Actor | None, process: Process) -> QuerySet[Membership]:
    """Every role held in the process, with the people's accounts (e-mail addresses included):
    for its secretariat only (403 for anyone else)."""
    require(is_secretariat(viewer, process), _("Only the secretariat manages this process."))
    return (
        Membership.objects.filter(process=process)
        .select_related("user", "user__profile")
        .order_by("user__username", "role")
    )


def process_staff(process: Process) -> QuerySet[Membership]:
    """Who runs the process (secretariat, chair, moderators, rapporteurs): public, without
    e-mail addresses; invited participants and observers are not listed."""
    staff = [Role.SECRETARIAT, Role.CHAIR, Role.MODERATOR, Role.RAPPORTEUR]
    return (
        Membership.objects.filter(process=process, role__in=staff, user__is_active=True)
        .select_related("user", "user__profile")
        .order_by("role", "user__username")
    )


def pending_invitations(*, viewer: Actor | None, process: Process) -> QuerySet[Invitation]:
    """Invitations not yet accepted, with their (private) addresses: for the secretariat only."""
    require(is_secretariat(viewer, process), _("Only the secretariat manages this process."))
    return Invitation.objects.filter(process=process, accepted_at__isnull=True)


def access_invitation(token: str) -> Invitation:
    """The invitation behind a link, or 404 (unknown token, or already used)."""
    invitation = (
        Invitation.objects.select_related("process", "invited_by")
        .filter(token=token, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        raise Http404(_("This invitation does not exist or has already been used."))
    return invitation


def schedule_changes(process: Process) -> QuerySet[PhaseChange]:
    """Phases moved, extended, closed early or removed, oldest first, each with its public reason.

    Additions are left out: the timeline itself shows every phase there is."""
    return (
        PhaseChange.objects.filter(process=process)
        .exclude(kind=PhaseChange.Kind.ADDED)
        .order_by("created_at", "id")
    )
