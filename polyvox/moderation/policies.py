"""The published moderation policy of a process and its pre- or post-moderation setting.

Apart from services.py (flags, actions, appeals): the secretariat's choices, each on the record."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.core.permissions import Actor, require
from polyvox.moderation.models import ModerationPolicy
from polyvox.moderation.permissions import can_edit_policy
from polyvox.processes.models import ModerationMode, Process
from polyvox.record.services import append_entry


@transaction.atomic
def publish_policy(*, actor: Actor, process: Process, text: str) -> ModerationPolicy:
    """A new version of the process's policy; earlier versions stay."""
    require(can_edit_policy(actor, process), _("Only the secretariat edits the policy."))
    body = (text or "").strip()
    if not body:
        raise ValidationError({"text": _("Write the policy before publishing it.")})
    if len(body) > 50_000:
        raise ValidationError({"text": _("Keep the policy under 50,000 characters.")})
    Process.objects.select_for_update(no_key=True).filter(pk=process.pk).first()
    latest = ModerationPolicy.objects.filter(process=process).order_by("-version").first()
    policy = ModerationPolicy.objects.create(
        process=process,
        version=(latest.version + 1) if latest else 1,
        text=body,
        published_at=timezone.now(),
        published_by_id=actor.pk,
    )
    append_entry(
        process=process,
        kind="moderation.policy_published",
        payload={
            "version": policy.version,
            "sha256": hashlib.sha256(body.encode()).hexdigest(),
        },
    )
    return policy


@transaction.atomic
def set_moderation_mode(*, actor: Actor, process: Process, mode: str) -> Process:
    """Pre- or post-moderation of inputs for the process; published on the record."""
    require(
        can_edit_policy(actor, process), _("Only the secretariat chooses how inputs are moderated.")
    )
    if mode not in ModerationMode.values:
        raise ValidationError({"moderation_mode": _("Choose pre- or post-moderation.")})
    if process.moderation_mode != mode:
        process.moderation_mode = mode
        process.save(update_fields=["moderation_mode", "updated_at"])
        append_entry(process=process, kind="moderation.mode_set", payload={"mode": mode})
    return process
