"""The secretariat lists recommendations, each linked to draft sections (and, where the process
has them, to the statements voted on); edits keep the earlier title and text as a revision.

A recommendation is fixed once a designation of it is under way or made final, or a decision on
it was declared: participants object to, and the record keeps, one text.
"""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from polyvox.core.permissions import require
from polyvox.core.text import normalize_whitespace, refuse_nul
from polyvox.drafts.models import Section
from polyvox.outcomes.models import (
    Decision,
    Designation,
    Recommendation,
    RecommendationRevision,
)
from polyvox.outcomes.permissions import can_manage_recommendations, process_is_open
from polyvox.participants.models import User
from polyvox.processes.models import Process
from polyvox.record.services import append_entry
from polyvox.statements.models import Statement, StatementStatus

MAX_TITLE_CHARS = Recommendation._meta.get_field("title").max_length or 200
MAX_TEXT_CHARS = 20_000
MAX_LINKS = 100


def _refuse_manager(actor: User | None, process: Process) -> None:
    require(
        can_manage_recommendations(actor, process),
        _("This process is closed.")
        if not process_is_open(process)
        else _("Only the secretariat of the process lists and edits its recommendations."),
    )


def clean_recommendation(title: str, text: str) -> tuple[str, str]:
    """The title (one line) and text as stored; both required, each within its limit."""
    heading = " ".join((title or "").split())
    body = normalize_whitespace(text or "")
    refuse_nul(heading, "title")
    refuse_nul(body, "text")
    errors: dict[str, str] = {}
    if not heading:
        errors["title"] = _("Give the recommendation a title.")
    elif len(heading) > MAX_TITLE_CHARS:
        errors["title"] = _("Keep the title under %(limit)d characters.") % {
            "limit": MAX_TITLE_CHARS
        }
    if not body:
        errors["text"] = _("Write the text of the recommendation.")
    elif len(body) > MAX_TEXT_CHARS:
        errors["text"] = _("Keep it under %(limit)d characters (this has %(count)d).") % {
            "limit": MAX_TEXT_CHARS,
            "count": len(body),
        }
    if errors:
        raise ValidationError(errors)
    return heading, body


def clean_sections(process: Process, sections: Sequence[Section]) -> list[Section]:
    """Published sections of this process's drafts, each once."""
    chosen = list({section.pk: section for section in sections}.values())
    if len(chosen) > MAX_LINKS:
        raise ValidationError(
            {"sections": _("Link at most %(limit)d sections.") % {"limit": MAX_LINKS}}
        )
    allowed = set(
        Section.objects.published()
        .filter(version__draft__process=process, pk__in=[s.pk for s in chosen])
        .values_list("pk", flat=True)
    )
    if any(section.pk not in allowed for section in chosen):
        raise ValidationError(
            {"sections": _("Link only sections of a published version of this process's drafts.")}
        )
    return chosen


def clean_statements(process: Process, statements: Sequence[Statement]) -> list[Statement]:
    """Accepted statements of this process, each once."""
    chosen = list({statement.pk: statement for statement in statements}.values())
    if len(chosen) > MAX_LINKS:
        raise ValidationError(
            {"statements": _("Link at most %(limit)d statements.") % {"limit": MAX_LINKS}}
        )
    allowed = set(
        Statement.objects.filter(
            process=process, status=StatementStatus.ACCEPTED, pk__in=[s.pk for s in chosen]
        ).values_list("pk", flat=True)
    )
    if any(statement.pk not in allowed for statement in chosen):
        raise ValidationError({"statements": _("Link only accepted statements of this process.")})
    return chosen


def recommendation_payload(recommendation: Recommendation) -> dict[str, Any]:
    """What the record says about a recommendation: its public text and what it links to."""
    sections = recommendation.sections.select_related("version__draft").order_by(
        "version__draft__slug", "version__number", "order"
    )
    return {
        "recommendation_id": recommendation.pk,
        "number": recommendation.number,
        "title": recommendation.title,
        "text": recommendation.text,
        "sections": [
            {
                "draft": section.version.draft.slug,
                "version": section.version.number,
                "anchor": section.anchor,
            }
            for section in sections
        ],
        "statements": sorted(recommendation.statements.values_list("pk", flat=True)),
    }


@transaction.atomic
def add_recommendation(
    *,
    actor: User,
    process: Process,
    title: str,
    text: str,
    sections: Sequence[Section] = (),
    statements: Sequence[Statement] = (),
) -> Recommendation:
    """List a recommendation, numbered after the last one of the process."""
    _refuse_manager(actor, process)
    title, text = clean_recommendation(title, text)
    linked_sections = clean_sections(process, sections)
    linked_statements = clean_statements(process, statements)
    # Lock the process row so two recommendations listed at once get different numbers.
    Process.objects.select_for_update(no_key=True).filter(pk=process.pk).first()
    last = Recommendation.objects.filter(process=process).aggregate(last=Max("number"))["last"]
    recommendation = Recommendation(
        process=process, number=(last or 0) + 1, title=title, text=text, created_by=actor
    )
    try:
        with transaction.atomic():
            recommendation.save()
    except IntegrityError:
        raise ValidationError(
            {"title": _("Another recommendation was listed at the same moment; try again.")}
        ) from None
    recommendation.sections.set(linked_sections)
    recommendation.statements.set(linked_statements)
    append_entry(
        process=process,
        kind="recommendation.added",
        payload=recommendation_payload(recommendation),
    )
    return recommendation


def edit_refusal(recommendation: Recommendation) -> str:
    """Why the recommendation can no longer be edited, or "" while it can."""
    if Decision.objects.filter(recommendation=recommendation).exists():
        return _("A decision on this recommendation was declared: its text is fixed.")
    designations = Designation.objects.filter(recommendation=recommendation)
    if designations.filter(stage="final").exists():
        return _("This recommendation has a final designation: its text is fixed.")
    if designations.filter(stage="proposed", final__isnull=True).exists():
        return _(
            "A designation of this recommendation is under way: its text cannot change until "
            "the chair makes it final."
        )
    return ""


@transaction.atomic
def edit_recommendation(
    *,
    actor: User,
    recommendation: Recommendation,
    title: str,
    text: str,
    sections: Sequence[Section] | None = None,
    statements: Sequence[Statement] | None = None,
) -> Recommendation:
    """Change the title, text or links; the earlier title and text are kept as a revision.
    `sections` / `statements` left as None keep the links as they are."""
    process = recommendation.process
    _refuse_manager(actor, process)
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    refusal = edit_refusal(locked)
    if refusal:
        raise ValidationError({"text": refusal})
    title, text = clean_recommendation(title, text)
    linked_sections = None if sections is None else clean_sections(process, sections)
    linked_statements = None if statements is None else clean_statements(process, statements)
    before = recommendation_payload(locked)
    if (locked.title, locked.text) != (title, text):
        RecommendationRevision.objects.create(
            recommendation=locked, title=locked.title, text=locked.text, edited_by=actor
        )
        locked.title, locked.text = title, text
        locked.save(update_fields=["title", "text", "updated_at"])
    if linked_sections is not None:
        locked.sections.set(linked_sections)
    if linked_statements is not None:
        locked.statements.set(linked_statements)
    after = recommendation_payload(locked)
    if after != before:
        append_entry(process=process, kind="recommendation.edited", payload=after)
    return locked
