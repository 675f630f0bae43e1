"""What each kind of record entry is called in words, and the page of what it records.

The record page shows "Input PV-3-12 submitted" with a link to the input, not
`contribution.submitted` (issue 13). The kinds are written by the apps above the record; this
table names them by their public URL names (strings, no import: the record stays below them),
and a link is built only from the entry's public payload. An app that adds a kind registers it
with `register_event_kind` from its `AppConfig.ready()`; a kind nobody named is shown as
"Other event" with its code, and `tests/experience/test_record_page.py` checks that every kind
the code appends is named here.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

Payload = Mapping[str, Any]
# (process slug, payload) → (URL name, kwargs besides the slug, fragment), or None for no link.
LinkSpec = Callable[[Payload], tuple[str, dict[str, Any], str] | None]


@dataclass(frozen=True)
class EventKind:
    """How one kind of entry is shown: its name, with `%(…)s` filled from the payload's public
    fields (missing ones left out), and where it links."""

    name: Promise
    link: LinkSpec | None = None
    # Payload fields the name quotes, e.g. {"number": "tracking_number"}.
    fields: tuple[tuple[str, str], ...] = ()


def _to(url_name: str, *keys: tuple[str, str], fragment: str = "") -> LinkSpec:
    """A link to `url_name` with kwargs taken from payload fields: ("kwarg", "payload key")."""

    def spec(payload: Payload) -> tuple[str, dict[str, Any], str] | None:
        kwargs = {}
        for kwarg, key in keys:
            value = payload.get(key)
            if value is None or value == "":
                return None
            kwargs[kwarg] = value
        return url_name, kwargs, fragment % dict(payload) if fragment else ""

    return spec


def _tracking(payload: Payload) -> tuple[str, dict[str, Any], str] | None:
    # Old entries of `disposition.recorded` named the input `contribution`.
    number = payload.get("tracking_number") or payload.get("contribution")
    if not isinstance(number, str) or not number:
        return None
    return "contributions:detail", {"tracking_number": number}, ""


def _statement(payload: Payload) -> tuple[str, dict[str, Any], str] | None:
    statement_id = payload.get("statement_id")
    if not isinstance(statement_id, int):
        return None
    return "statements:list", {}, f"statement-{statement_id}"


_process = _to("processes:detail")
_timeline = _to("processes:detail")
_TRACKING = (("number", "tracking_number"),)
_TITLE = (("title", "title"),)
_RECOMMENDATION = (("number", "recommendation"),)

EVENT_KINDS: dict[str, EventKind] = {
    # The process and its schedule
    "process.created": EventKind(_("Process created"), _process),
    "process.edited": EventKind(_("Process description changed"), _process),
    "process.closed": EventKind(_("Process closed"), _process),
    "phase.scheduled": EventKind(_("Phase scheduled: %(title)s"), _timeline, _TITLE),
    "phase.opened": EventKind(_("Phase opened: %(title)s"), _timeline, _TITLE),
    "phase.closed": EventKind(_("Phase closed: %(title)s"), _timeline, _TITLE),
    "phase.rescheduled": EventKind(_("Phase rescheduled: %(title)s"), _timeline, _TITLE),
    "phase.removed": EventKind(_("Phase removed: %(title)s"), _timeline, _TITLE),
    "process.translation_published": EventKind(
        _("Process text published in %(language)s"), _process, (("language", "language"),)
    ),
    "process.translation_withdrawn": EventKind(
        _("Process text withdrawn in %(language)s"), _process, (("language", "language"),)
    ),
    "phase.translation_published": EventKind(
        _("Phase text published in %(language)s: %(title)s"),
        _timeline,
        (("language", "language"), ("title", "title")),
    ),
    "target.set": EventKind(_("Participation target set"), _to("indicators:page")),
    "target.removed": EventKind(_("Participation target removed"), _to("indicators:page")),
    "member.role_granted": EventKind(_("Staff role given"), _process),
    "member.role_revoked": EventKind(_("Staff role withdrawn"), _process),
    # Drafts
    "version.published": EventKind(
        _("Draft version %(version)s published"),
        _to("drafts:version", ("draft", "draft"), ("number", "version")),
        (("version", "version"),),
    ),
    "translation.published": EventKind(
        _("Draft version %(version)s published in %(language)s"),
        _to("drafts:version", ("draft", "draft"), ("number", "version")),
        (("version", "version"), ("language", "language")),
    ),
    # Inputs and answers
    "contribution.submitted": EventKind(_("Input %(number)s submitted"), _tracking, _TRACKING),
    "contribution.edited": EventKind(_("Input %(number)s edited"), _tracking, _TRACKING),
    "contribution.hidden": EventKind(_("Input %(number)s hidden"), _tracking, _TRACKING),
    "contribution.withheld": EventKind(
        _("Input %(number)s held for moderation"), _tracking, _TRACKING
    ),
    "contribution.approved": EventKind(
        _("Input %(number)s approved by moderation"), _tracking, _TRACKING
    ),
    "contribution.restored": EventKind(_("Input %(number)s restored"), _tracking, _TRACKING),
    "disposition.recorded": EventKind(_("Input %(number)s answered"), _tracking, _TRACKING),
    "submissions.imported": EventKind(_("Submissions imported"), _to("contributions:list")),
    # Moderation
    "moderation.policy_published": EventKind(
        _("Moderation policy published"), _to("moderation:policy")
    ),
    "moderation.mode_set": EventKind(_("Moderation mode changed"), _to("moderation:policy")),
    "moderation.action": EventKind(_("Moderation decision"), _to("moderation:log")),
    "moderation.appealed": EventKind(_("Moderation decision appealed"), _to("moderation:log")),
    "moderation.appeal_decided": EventKind(_("Appeal decided"), _to("moderation:log")),
    # Statements and the opinion map
    "statement.proposed": EventKind(_("Statement proposed"), _statement),
    "statement.accepted": EventKind(_("Statement open for votes"), _statement),
    "statement.rejected": EventKind(_("Statement rejected"), _statement),
    "statement.hidden": EventKind(_("Statement hidden"), _statement),
    "statement.restored": EventKind(_("Statement restored"), _statement),
    "statements.moderation_set": EventKind(
        _("Moderation of statements changed"), _to("statements:list")
    ),
    "statements.imported": EventKind(_("Statements imported"), _to("statements:list")),
    "statements.map_replay_set": EventKind(
        _("How the opinion map is computed changed"), _to("statements:opinion_map")
    ),
    "opinion_map.published": EventKind(_("Opinion map published"), _to("statements:opinion_map")),
    # Campaigns
    "campaigns.detected": EventKind(_("Campaigns detected"), _to("campaigns:list")),
    "campaign.confirmed": EventKind(
        _("Campaign confirmed"), _to("campaigns:detail", ("campaign_id", "campaign"))
    ),
    "campaign.split": EventKind(_("Campaign split"), _to("campaigns:list")),
    "campaign.merged": EventKind(_("Campaigns merged"), _to("campaigns:list")),
    "campaign.answered": EventKind(
        _("Campaign answered"), _to("campaigns:detail", ("campaign_id", "campaign"))
    ),
    # Caucuses and joint statements
    "caucus_created": EventKind(
        _("Caucus created: %(name)s"),
        _to("caucuses:detail", ("caucus", "caucus")),
        (("name", "name"),),
    ),
    "caucus_thread_published": EventKind(
        _("Caucus discussion published: %(title)s"),
        _to("caucuses:detail", ("caucus", "caucus")),
        _TITLE,
    ),
    "joint_statement_drafted": EventKind(
        _("Joint statement drafted: %(title)s"),
        _to("joint_statements:detail", ("statement_id", "statement_id")),
        _TITLE,
    ),
    "joint_statement_draft_edited": EventKind(
        _("Joint statement draft edited: %(title)s"),
        _to("joint_statements:detail", ("statement_id", "statement_id")),
        _TITLE,
    ),
    "joint_statement_opened": EventKind(
        _("Joint statement open for signatures: %(title)s"),
        _to("joint_statements:detail", ("statement_id", "statement_id")),
        _TITLE,
    ),
    "linked_statement_published": EventKind(
        _("Linked statement published: %(title)s"),
        _to("joint_statements:detail", ("statement_id", "statement_id")),
        _TITLE,
    ),
    "joint_statement_signed": EventKind(
        _("Joint statement signed: %(title)s"),
        _to("joint_statements:signatories", ("statement_id", "statement_id")),
        _TITLE,
    ),
    "joint_statement_signature_withdrawn": EventKind(
        _("Signature withdrawn: %(title)s"),
        _to("joint_statements:signatories", ("statement_id", "statement_id")),
        _TITLE,
    ),
    # Outcomes
    "recommendation.added": EventKind(
        _("Recommendation %(number)s added"),
        _to("outcomes:recommendation", ("number", "number")),
        (("number", "number"),),
    ),
    "recommendation.edited": EventKind(
        _("Recommendation %(number)s edited"),
        _to("outcomes:recommendation", ("number", "number")),
        (("number", "number"),),
    ),
    "designation.proposed": EventKind(
        _("Consensus designation proposed for recommendation %(number)s"),
        _to("outcomes:recommendation", ("number", "recommendation")),
        _RECOMMENDATION,
    ),
    "designation.objection": EventKind(
        _("Objection to the designation of recommendation %(number)s"),
        _to("outcomes:recommendation", ("number", "recommendation")),
        _RECOMMENDATION,
    ),
    "designation.objection_withdrawn": EventKind(
        _("Objection withdrawn on recommendation %(number)s"),
        _to("outcomes:recommendation", ("number", "recommendation")),
        _RECOMMENDATION,
    ),
    "designation.final": EventKind(
        _("Consensus designation final for recommendation %(number)s"),
        _to("outcomes:recommendation", ("number", "recommendation")),
        _RECOMMENDATION,
    ),
    "decision.declared": EventKind(
        _("Decision declared on recommendation %(number)s"),
        _to("outcomes:recommendation", ("number", "recommendation")),
        _RECOMMENDATION,
    ),
    "outcome.rules_changed": EventKind(_("Decision rules changed"), _to("outcomes:rules")),
    "outcome.elector_added": EventKind(_("Voting seat added"), _to("outcomes:electors")),
    "outcome.elector_removed": EventKind(_("Voting seat removed"), _to("outcomes:electors")),
    # Commitments
    "commitment.made": EventKind(
        _("Commitment made: %(title)s"),
        _to("commitments:detail", ("commitment_id", "commitment_id")),
        _TITLE,
    ),
    "commitment.updated": EventKind(
        _("Commitment updated: %(title)s"),
        _to("commitments:detail", ("commitment_id", "commitment_id")),
        _TITLE,
    ),
    "commitment.contested": EventKind(
        _("Commitment update contested"),
        _to("commitments:detail", ("commitment_id", "commitment_id")),
    ),
    "commitment.answered": EventKind(
        _("Contested update answered"),
        _to("commitments:detail", ("commitment_id", "commitment_id")),
    ),
}


def register_event_kind(kind: str, event: EventKind) -> None:
    """For an app whose entries this table does not name yet (call from `AppConfig.ready()`)."""
    EVENT_KINDS[kind] = event


@dataclass(frozen=True)
class NamedEvent:
    """An entry as the record page shows it."""

    name: SafeString  # in words, in the page's language (HTML: quoted fields in <bdi>)
    url: str  # the page of what it records, or ""
    known: bool  # False: a kind nobody named (the page shows its code)


def _quoted(event: EventKind, payload: Payload) -> SafeString:
    """The name with its public payload fields filled in, each in a <bdi> so a title written
    right-to-left does not scramble a left-to-right name (and the reverse); a missing field is
    left out."""
    values = {}
    for placeholder, key in event.fields:
        value = payload.get(key)
        shown = "" if value is None or isinstance(value, dict | list) else str(value)
        values[placeholder] = format_html("<bdi>{}</bdi>", shown) if shown else ""
    name = conditional_escape(str(event.name))
    try:
        text = name % values if values else name
    except (KeyError, ValueError, TypeError):  # a translation that broke its placeholders
        return name
    # Safe: the name was escaped and every value went through format_html.
    return mark_safe(" ".join(text.replace("<bdi></bdi>", "").split()).rstrip(": "))


def named_event(slug: str, kind: str, payload: Payload) -> NamedEvent:
    """The name and link of one entry (`slug`: its process). Never raises on odd payloads: the
    record holds whatever was appended, years ago included."""
    event = EVENT_KINDS.get(kind)
    if event is None:
        return NamedEvent(conditional_escape(gettext("Other event")), "", known=False)
    url = ""
    spec = event.link(payload) if event.link is not None and isinstance(payload, Mapping) else None
    if spec is not None:
        url_name, kwargs, fragment = spec
        try:
            url = reverse(url_name, kwargs={"slug": slug, **kwargs})
        except NoReverseMatch:  # an app not installed, or a value its URL refuses
            url = ""
        if url and fragment:
            url = f"{url}#{fragment}"
    return NamedEvent(_quoted(event, payload if isinstance(payload, Mapping) else {}), url, True)
