"""A demo process made from a template: an ICANN-style public comment whose deadline was extended.

It shows a secretariat what a template gives (phases with sourced minimums, the text on how the
process works) and how a rescheduled deadline appears on the process page and the record.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from polyvox.contributions.services.submitting import submit_contribution
from polyvox.drafts.services import create_draft, publish_draft_version
from polyvox.participants.models import User
from polyvox.processes.models import Process
from polyvox.processes.services.scheduling import reschedule_phase
from polyvox.processes.services.templating import create_process_from_template

SLUG = "idn-variants-comment"
TEMPLATE = "icann-public-comment"
EXTENSION_REASON = (
    "Extended by 14 days at the request of two advisory committees, whose members meet after "
    "the original deadline."
)
PROPOSAL = """# Proposed guidelines for internationalised domain name variants

## Scope

These guidelines apply to every new top-level domain that uses a script with variant characters.

## Allocation

A variant label is allocated only to the registrant of the primary label, and never to anyone else.

## Activation

Registries activate a variant label only at the request of the registrant of the primary label.
"""
COMMENTS: tuple[tuple[str, str, str], ...] = (
    ("kenji", "allocation-p1", "Please state what happens to variants blocked before this rule."),
    ("amina", "activation-p1", "Activation should be free of charge for the first variant."),
    ("oleg", "scope-p1", "The scope should name the scripts concerned, or link to the tables."),
)


@transaction.atomic
def build_templated_process(*, secretariat: User) -> Process:
    """Create the process from the ICANN public comment template, opened 30 days ago, with a
    proposal, three comments and its comment period extended with a published reason."""
    opens = (timezone.now() - timedelta(days=30)).date()
    process = create_process_from_template(
        actor=secretariat,
        template_name=TEMPLATE,
        slug=SLUG,
        title="Public comment: guidelines for internationalised domain name variants",
        opens=opens,
    )
    draft = create_draft(actor=secretariat, process=process, slug="proposal", title="Proposal")
    version = publish_draft_version(actor=secretariat, draft=draft, markdown=PROPOSAL)
    for username, anchor, body in COMMENTS:
        submit_contribution(
            author=User.objects.get(username=username),
            process=process,
            kind="comment",
            body=body,
            section=version.sections.get(anchor=anchor),
        )
    comment_period = process.phases.order_by("starts_at")[0]  # the template's first phase
    following = list(process.phases.filter(starts_at__gte=comment_period.ends_at))
    # Move the later phases first so the extended comment period does not overlap them.
    for phase in reversed(following):
        reschedule_phase(
            actor=secretariat,
            phase=phase,
            starts_at=phase.starts_at + timedelta(days=14),
            ends_at=phase.ends_at + timedelta(days=14),
            reason=EXTENSION_REASON,
        )
    reschedule_phase(
        actor=secretariat,
        phase=comment_period,
        starts_at=comment_period.starts_at,
        ends_at=comment_period.ends_at + timedelta(days=14),
        reason=EXTENSION_REASON,
    )
    return process
