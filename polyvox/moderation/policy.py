"""The built-in moderation policy a process starts from, in Markdown; the secretariat edits it.

Modelled on what the IGF's Code of Conduct, ICANN's Expected Standards of Behavior and Decidim's
terms publish: what is hidden and why, the reason codes, the ladder, notification and appeal — and
that disagreement is never a reason (a policy process must hear the views it dislikes).
"""

from django.utils.translation import gettext as _

from polyvox.core.moderation import ReasonCode


def default_policy_text() -> str:
    """The default policy, in the active language, listing every reason code of the platform."""
    codes = "\n".join(
        f"- **{code.label}** (`{code.value}`)"
        for code in ReasonCode
        if code != ReasonCode.AWAITING_REVIEW
    )
    return "\n\n".join(
        [
            _("## What this policy is for"),
            _(
                "This process hears every view, including views the secretariat or other "
                "participants disagree with. Moderation protects the conversation, not a "
                "position. **Disagreement is never a reason to moderate anything.**"
            ),
            _("## What may be hidden, and the reason codes"),
            _(
                "A moderator hides an input, a reply or a statement only for one of these "
                "reasons. The code is published in the item's place and in the moderation log:"
            ),
            codes,
            _(
                "Hidden items are never deleted. Their place shows the date and the reason "
                "code, nothing of their content; the secretariat still sees them, and they can "
                "be restored."
            ),
            _("## Flags"),
            _(
                "Any signed-in participant can flag an item, choosing a reason code and saying "
                "what is wrong. Anyone can report an input submitted in their name: it is "
                "withheld from public view at once, pending a moderator's review."
            ),
            _("## The ladder"),
            _(
                "For an author in this process, moderators go one step at a time: a private "
                "warning, then a public warning shown on the item, then a restriction (no "
                "contributing, voting or flagging in this process until a stated date). A "
                "moderator who skips a step must say why, and that reason is kept."
            ),
            _("## Notification and appeal"),
            _(
                "The author is told of every action, with its reason code and explanation. "
                "Each action can be appealed once; a different moderator from the one who acted "
                "decides, upholds or reverses it, and both the author and the moderator are told."
            ),
            _("## Pre- and post-moderation"),
            _(
                "Under post-moderation, inputs are published at once and moderated when flagged. "
                "Under pre-moderation, a new input is published after a moderator has looked at "
                "it; the author's receipt says so."
            ),
            _("## Transparency"),
            _(
                "The public moderation log shows every action's date, kind, reason code and the "
                "item's tracking number, and monthly counts. It never shows hidden content or "
                "names."
            ),
        ]
    )
