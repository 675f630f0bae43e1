"""Writes for a process's own settings: fix a typo in the mandate, change a policy, on the record."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polyvox.core.permissions import require
from polyvox.participants.models import User
from polyvox.processes.models import Process
from polyvox.processes.permissions import is_secretariat
from polyvox.processes.publishing import publish
from polyvox.processes.services.creating import UN_LANGUAGES

# What participants read and rely on: a change to any of these goes on the record, before/after.
PUBLIC_FIELDS = (
    "title",
    "mandate",
    "languages",
    "decision_mode",
    "identity_policy",
    "participation_policy",
    "requires_statement_of_interest",
    "accepts_late_inputs",
    "how_it_works",
)
# The secretariat's own workflow (a second member reviews answers): editable, not an event.
INTERNAL_FIELDS = ("answers_need_review",)


@transaction.atomic
def edit_process(
    *,
    actor: User,
    process: Process,
    title: str | None = None,
    mandate: str | None = None,
    languages: list[str] | None = None,
    decision_mode: str | None = None,
    identity_policy: str | None = None,
    participation_policy: str | None = None,
    requires_statement_of_interest: bool | None = None,
    accepts_late_inputs: bool | None = None,
    how_it_works: str | None = None,
    answers_need_review: bool | None = None,
) -> Process:
    """Change the given settings (None leaves one as it is); "process.edited" lists each public
    change with its value before and after, and nothing is recorded when nothing changed."""
    require(is_secretariat(actor, process), _("Only the secretariat edits this process."))
    if process.closed_at is not None:
        raise ValidationError(_("This process is closed: it can no longer be edited."))
    given: dict[str, Any] = {
        "title": title.strip() if title is not None else None,
        "mandate": mandate.strip() if mandate is not None else None,
        "languages": list(languages) if languages is not None else None,
        "decision_mode": decision_mode,
        "identity_policy": identity_policy,
        "participation_policy": participation_policy,
        "requires_statement_of_interest": requires_statement_of_interest,
        "accepts_late_inputs": accepts_late_inputs,
        "how_it_works": how_it_works.strip() if how_it_works is not None else None,
        "answers_need_review": answers_need_review,
    }
    if given["languages"] is not None:
        _check_languages(given["languages"])
    before = {name: getattr(process, name) for name in (*PUBLIC_FIELDS, *INTERNAL_FIELDS)}
    changed = [name for name, value in given.items() if value is not None and value != before[name]]
    if not changed:
        return process
    for name in changed:
        setattr(process, name, given[name])
    try:
        process.full_clean()
    except ValidationError:
        process.refresh_from_db()
        raise
    process.save(update_fields=[*changed, "updated_at"])
    public = [name for name in changed if name in PUBLIC_FIELDS]
    if public:
        publish(
            process=process,
            kind="process.edited",
            payload={
                "changes": {
                    name: {"before": before[name], "after": getattr(process, name)}
                    for name in public
                }
            },
        )
    return process


def _check_languages(languages: list[str]) -> None:
    if not languages:
        raise ValidationError({"languages": _("Choose at least one language.")})
    unknown = [code for code in languages if code not in UN_LANGUAGES]
    if unknown:
        raise ValidationError({"languages": _("Unknown language codes: %s") % ", ".join(unknown)})
