"""Forms of caucuses: they validate shape; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from polyvox.participants.models import StakeholderGroup


class CaucusForm(forms.Form):
    name = forms.CharField(label=_("Name (public)"), max_length=120)
    purpose = forms.CharField(
        label=_("Purpose (public)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Everyone can read the name and purpose, so people can find it and ask to join."
        ),
    )
    stakeholder_group = forms.ChoiceField(
        label=_("Who may ask to join"),
        required=False,
        choices=[("", _("Anyone the facilitators approve")), *StakeholderGroup.choices],
        help_text=_("A stakeholder group's caucus is open only to people who declare that group."),
    )


class JoinForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the facilitators (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the caucus's facilitators read it."),
    )


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))


class PostForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 5}))


class WorkingDraftForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 20}))
    note = forms.CharField(label=_("What changed (optional)"), max_length=200, required=False)
    # The revision this edit started from: a newer save in between is refused, never overwritten.
    based_on = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
