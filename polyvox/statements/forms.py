"""Forms for statements: shape only; the rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from polyvox.statements.models import MAX_STATEMENT_CHARS, ModerationMode, VoteValue


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        max_length=MAX_STATEMENT_CHARS,
        help_text=_("One short claim others can agree or disagree with (up to 280 characters)."),
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_STATEMENT_CHARS}),
    )


class VoteForm(forms.Form):
    statement = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.TypedChoiceField(choices=VoteValue.choices, coerce=int)


class ModerationForm(forms.Form):
    statement = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("reject", _("Reject"))]
    )
    reason = forms.CharField(
        label=_("Reason (published; required to reject)"), required=False, max_length=1000
    )


class PromoteForm(forms.Form):
    text = forms.CharField(
        label=_("Statement"),
        max_length=MAX_STATEMENT_CHARS,
        help_text=_("Rephrase the insight as one claim (up to 280 characters)."),
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_STATEMENT_CHARS}),
    )


class MapReplayForm(forms.Form):
    replay = forms.BooleanField(
        label=_("Rebuild the opinion map as Pol.is does (replay the votes in time order)"),
        help_text=_(
            "For conversations imported from Pol.is: the map then shows the groups Pol.is "
            "showed, which depend on the order votes came in. Otherwise the map is computed "
            "from the current votes."
        ),
        required=False,
    )


class ModerationModeForm(forms.Form):
    moderation = forms.ChoiceField(
        label=_("How are participants' statements moderated?"),
        choices=ModerationMode.choices,
        widget=forms.RadioSelect,
    )
