"""Consensus designations (ICANN GNSO Working Group Guidelines, section 3.6): the chair proposes
a level with a rationale, beside the evidence; participants may object, with reasons, until the
window closes; then the chair confirms or revises, and every objection still standing is
attached verbatim to the final designation as a minority view.

One proposal per recommendation: a second is refused until the first is made final, so no
objection can be dropped by proposing again; and a proposal can be made final only once its
window has closed, so no objection is cut off.
"""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.contributions.models import Contribution
from polyvox.core.permissions import Actor, is_signed_in, require
from polyvox.core.timezones import utc_minute
from polyvox.notifications.services import notify
from polyvox.organisations.models import Organisation
from polyvox.organisations.permissions import can_speak_for
from polyvox.outcomes.models import (
    Designation,
    MinorityView,
    Objection,
    Position,
    Recommendation,
    Stage,
)
from polyvox.outcomes.permissions import (
    can_object,
    objections_are_open,
    process_is_open,
)
from polyvox.outcomes.selectors.decisions import outcome_settings
from polyvox.outcomes.selectors.recommendations import (
    evidence,
)
from polyvox.outcomes.services.designation_rules import (
    clean_level,
    clean_rationale,
    clean_reason,
    designation_payload,
    level_label,
    minority_view_payload,
    objection_payload,
    refuse_designator,
)
from polyvox.participants.models import User
from polyvox.processes.models import ParticipationPolicy
from polyvox.processes.permissions import can_take_part
from polyvox.record.services import append_entry


def _interested(recommendation: Recommendation, actor: User) -> QuerySet[User]:
    """Who hears that a designation was proposed: those who recorded a position on the
    recommendation or commented on a section it is linked to (the chair excepted)."""
    positions = Position.objects.filter(recommendation=recommendation).values("author_id")
    comments = Contribution.objects.filter(section__in=recommendation.sections.values("pk")).values(
        "author_id"
    )
    return User.objects.filter(Q(pk__in=positions) | Q(pk__in=comments), is_active=True).exclude(
        pk=actor.pk
    )


# Propose -------------------------------------------------------------------------------------


@transaction.atomic
def propose_designation(
    *,
    actor: User,
    recommendation: Recommendation,
    level: str,
    rationale: str,
    now: datetime | None = None,
) -> Designation:
    """The chair proposes a level with a rationale; objections are open for the process's
    `objection_days` from now."""
    now = now or timezone.now()
    process = recommendation.process
    refuse_designator(actor, process)
    level = clean_level(level)
    rationale = clean_rationale(rationale, required=True)
    # Lock the recommendation so two proposals made at once cannot both pass the checks below.
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    designations = Designation.objects.filter(recommendation=locked)
    if designations.filter(stage=Stage.FINAL).exists():
        raise ValidationError({"level": _("This recommendation already has a final designation.")})
    pending = designations.filter(stage=Stage.PROPOSED, final__isnull=True).first()
    if pending is not None:
        raise ValidationError(
            {
                "level": _(
                    "A designation is already proposed (objections until %(date)s UTC); make it "
                    "final before proposing another."
                )
                % {"date": utc_minute(pending.objections_close_at or now)}
            }
        )
    closes = now + timedelta(days=outcome_settings(process).objection_days)
    designation = Designation.objects.create(
        recommendation=locked,
        stage=Stage.PROPOSED,
        level=level,
        rationale=rationale,
        evidence=evidence(locked),
        objections_close_at=closes,
        designated_by=actor,
        designated_at=now,
    )
    append_entry(
        process=process, kind="designation.proposed", payload=designation_payload(designation)
    )
    notify(
        recipients=_interested(locked, actor),
        subject=_("A designation was proposed: %(title)s") % {"title": locked.title},
        body=_(
            "The chair proposes “%(level)s” for recommendation %(number)d, “%(title)s”. You may "
            "object, with your reasons, until %(date)s UTC."
        )
        % {
            "level": level_label(level),
            "number": locked.number,
            "title": locked.title,
            "date": utc_minute(closes),
        },
        url=locked.get_absolute_url(),
    )
    return designation


# Object --------------------------------------------------------------------------------------


def objection_refusal(actor: Actor | None, designation: Designation, now: datetime) -> str:
    """Why `actor` may not object now, in words a participant can act on; "" when they may."""
    process = designation.recommendation.process
    if not process_is_open(process):
        return _("This process is closed.")
    if designation.stage != Stage.PROPOSED or hasattr(designation, "final"):
        return _("This designation is final: objections are closed.")
    if not objections_are_open(designation, now):
        return _("Objections closed on %(date)s UTC.") % {
            "date": utc_minute(designation.objections_close_at or now)
        }
    if not is_signed_in(actor):
        return _("Log in to object.")
    if not can_take_part(actor, process):
        if process.participation_policy == ParticipationPolicy.INVITED:
            return _("This process is open to invited participants only.")
        return _("You cannot take part in this process.")
    return ""


def _refuse_if_final(designation: Designation) -> None:
    """Lock the proposal (as `finalise_designation` does) and refuse once it was made final, so
    an objection is either attached as a minority view or refused, never lost in between."""
    Designation.objects.select_for_update().filter(pk=designation.pk).first()
    if Designation.objects.filter(proposal_id=designation.pk).exists():
        raise PermissionDenied(_("This designation is final: objections are closed."))


@transaction.atomic
def object_to(
    *,
    actor: User,
    designation: Designation,
    reason: str,
    on_behalf_of: Organisation | None = None,
    now: datetime | None = None,
) -> Objection:
    """Object to a proposed designation, with reasons, while the window is open; once each.
    The objection is public, and attached verbatim as a minority view if it still stands when
    the designation is made final."""
    now = now or timezone.now()
    require(
        can_object(actor, designation, now),
        objection_refusal(actor, designation, now) or _("You cannot object to this designation."),
    )
    if on_behalf_of is not None:
        require(
            can_speak_for(actor, on_behalf_of),
            _("You are not an approved representative of %(organisation)s.")
            % {"organisation": on_behalf_of.name},
        )
    reason = clean_reason(reason)
    _refuse_if_final(designation)
    earlier = Objection.objects.filter(designation=designation, author_id=actor.pk).first()
    if earlier is not None:
        raise ValidationError(
            {
                "reason": _("You have already objected to this designation.")
                if earlier.withdrawn_at is None
                else _("You withdrew your objection to this designation; it cannot be made again.")
            }
        )
    objection = Objection(
        designation=designation,
        author=actor,
        author_name=str(actor)[:120],
        organisation=on_behalf_of,
        reason=reason,
    )
    try:
        # A concurrent objection by the same author passed the check above: the unique
        # constraint stops it; the savepoint keeps the outer transaction usable.
        with transaction.atomic():
            objection.save()
    except IntegrityError:
        raise ValidationError(
            {"reason": _("You have already objected to this designation.")}
        ) from None
    append_entry(
        process=designation.recommendation.process,
        kind="designation.objection",
        payload=objection_payload(objection),
    )
    recommendation = designation.recommendation
    notify(
        recipients=[designation.designated_by],
        subject=_("An objection to the designation of “%(title)s”")
        % {"title": recommendation.title},
        body=_("%(author)s objects to the proposed designation of recommendation %(number)d.")
        % {"author": objection.author_name, "number": recommendation.number},
        url=recommendation.get_absolute_url(),
    )
    return objection


@transaction.atomic
def withdraw_objection(
    *, actor: User, objection: Objection, now: datetime | None = None
) -> Objection:
    """Its author withdraws an objection while objections are open; the row stays, withdrawn."""
    now = now or timezone.now()
    require(is_signed_in(actor), _("Log in to withdraw an objection."))
    require(actor.pk == objection.author_id, _("Only its author can withdraw this objection."))
    locked = (
        Objection.objects.select_for_update(of=("self",))
        .select_related("designation__recommendation__process", "organisation")
        .get(pk=objection.pk)
    )
    if locked.withdrawn_at is not None:
        raise ValidationError({"objection": _("This objection has already been withdrawn.")})
    designation = locked.designation
    _refuse_if_final(designation)
    if not objections_are_open(designation, now):
        raise ValidationError(
            {
                "objection": _(
                    "Objections are closed: yours stands, and is attached to the final "
                    "designation as a minority view."
                )
            }
        )
    locked.withdrawn_at = now
    locked.save(update_fields=["withdrawn_at"])
    append_entry(
        process=designation.recommendation.process,
        kind="designation.objection_withdrawn",
        payload={
            "objection_id": locked.pk,
            "designation_id": designation.pk,
            "recommendation": designation.recommendation.number,
        },
    )
    return locked


# Finalise ------------------------------------------------------------------------------------


@transaction.atomic
def finalise_designation(
    *,
    actor: User,
    proposal: Designation,
    level: str,
    rationale: str,
    now: datetime | None = None,
) -> Designation:
    """The chair confirms the proposed level or revises it (a revision needs a rationale), once
    the objection window has closed. Every objection still standing is copied verbatim into a
    minority view of the final designation."""
    now = now or timezone.now()
    recommendation = proposal.recommendation
    refuse_designator(actor, recommendation.process)
    level = clean_level(level)
    locked = (
        Designation.objects.select_for_update(of=("self",))
        .select_related("recommendation__process")
        .get(pk=proposal.pk)
    )
    if locked.stage != Stage.PROPOSED:
        raise ValidationError({"level": _("Only a proposed designation can be made final.")})
    if Designation.objects.filter(proposal=locked).exists():
        raise ValidationError({"level": _("This designation has already been made final.")})
    closes = locked.objections_close_at
    if closes is not None and now < closes:
        raise ValidationError(
            {
                "level": _(
                    "Objections are open until %(date)s UTC; the designation can be made final "
                    "after that."
                )
                % {"date": utc_minute(closes)}
            }
        )
    revised = level != locked.level
    rationale = clean_rationale(rationale, required=revised, revised=revised)
    final = Designation(
        recommendation=recommendation,
        stage=Stage.FINAL,
        level=level,
        rationale=rationale or locked.rationale,
        evidence=evidence(recommendation),
        proposal=locked,
        designated_by=actor,
        designated_at=now,
    )
    try:
        with transaction.atomic():
            final.save()
    except IntegrityError:
        raise ValidationError(
            {"level": _("This recommendation already has a final designation.")}
        ) from None
    standing = list(
        Objection.objects.filter(designation=locked, withdrawn_at__isnull=True)
        .select_related("organisation", "author")
        .order_by("created_at", "pk")
    )
    views = MinorityView.objects.bulk_create(
        MinorityView(
            designation=final,
            objection=objection,
            author_name=objection.author_name,
            organisation=objection.organisation,
            text=objection.reason,
        )
        for objection in standing
    )
    append_entry(
        process=recommendation.process,
        kind="designation.final",
        payload={
            **designation_payload(final),
            "proposal_id": locked.pk,
            "minority_views": [minority_view_payload(view) for view in views],
        },
    )
    if standing:
        notify(
            recipients=[objection.author for objection in standing],
            subject=_("Your objection is published as a minority view"),
            body=_(
                "The designation of recommendation %(number)d, “%(title)s”, is final: "
                "“%(level)s”. Your objection is attached to it, verbatim, as a minority view."
            )
            % {
                "number": recommendation.number,
                "title": recommendation.title,
                "level": level_label(level),
            },
            url=recommendation.get_absolute_url(),
        )
    return final
