"""Forms of the accounts pages: a new API token, closing one's account."""

from django import forms
from django.utils.translation import gettext_lazy as _

from polyvox.accounts.models import TokenScope
from polyvox.processes.models import Process


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “our publication server”."),
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
    )
    process = forms.ModelChoiceField(
        label=_("Process"),
        queryset=Process.objects.order_by("title"),
        required=False,
        to_field_name="slug",
        empty_label=_("Every process"),
        help_text=_("A token for one process may not be used on any other."),
    )


class CloseAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that closing my account cannot be undone."),
        required=False,
    )
