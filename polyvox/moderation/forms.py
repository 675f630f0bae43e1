"""Forms of moderation: flags and reports (with the honeypot), actions, appeals, the policy."""

from django import forms
from django.utils.translation import gettext_lazy as _

from polyvox.core.honeypot import HoneypotMixin
from polyvox.core.moderation import ReasonCode
from polyvox.moderation.models import ActionKind
from polyvox.processes.models import ModerationMode

_NOT_A_FINDING = {ReasonCode.AWAITING_REVIEW}
FLAG_CHOICES = [
    (code.value, code.label)
    for code in ReasonCode
    if code not in _NOT_A_FINDING and code != ReasonCode.IMPERSONATION
]
ACTION_CODE_CHOICES = [("", _("— none (restore or approve) —"))] + [
    (code.value, code.label) for code in ReasonCode if code not in _NOT_A_FINDING
]


class FlagForm(HoneypotMixin, forms.Form):
    reason_code = forms.ChoiceField(
        label=_("Reason"),
        choices=FLAG_CHOICES,
        help_text=_("The policy's reasons. Disagreeing with a view is not one of them."),
    )
    text = forms.CharField(
        label=_("What is wrong"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ImpersonationReportForm(HoneypotMixin, forms.Form):
    text = forms.CharField(
        label=_("How does this input use your name?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ActionForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=ActionKind.choices)
    reason_code = forms.ChoiceField(
        label=_("Reason code (published)"), choices=ACTION_CODE_CHOICES, required=False
    )
    text = forms.CharField(
        label=_("Explanation to the author"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    skipped_step_reason = forms.CharField(
        label=_("Why you skip a step of the ladder (if you do)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    restricted_until = forms.DateTimeField(
        label=_("Restricted until (UTC, for a restriction)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why should the decision be reversed?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("uphold", _("Uphold: the action stands")), ("reverse", _("Reverse the action"))],
        widget=forms.RadioSelect,
    )
    decision_text = forms.CharField(
        label=_("Reasons for the decision"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PolicyForm(forms.Form):
    text = forms.CharField(
        label=_("Policy (Markdown)"), max_length=50_000, widget=forms.Textarea(attrs={"rows": 20})
    )


class ModerationModeForm(forms.Form):
    moderation_mode = forms.ChoiceField(
        label=_("Moderation of inputs"), choices=ModerationMode.choices, widget=forms.RadioSelect
    )
