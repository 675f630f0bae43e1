"""Forms: follow a process by e-mail, and the e-mail preferences."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polyvox.notifications.models import DeliveryMode, NotificationKind


class EmailFollowForm(forms.Form):
    prefix = "follow"

    email = forms.CharField(
        label=_("Your e-mail address"),
        max_length=320,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    mode = forms.ChoiceField(
        label=_("How often"),
        choices=[
            (DeliveryMode.IMMEDIATE, DeliveryMode.IMMEDIATE.label),
            (DeliveryMode.DAILY, DeliveryMode.DAILY.label),
        ],
        initial=DeliveryMode.IMMEDIATE,
    )


class PreferencesForm(forms.Form):
    """One choice per kind of notification: an e-mail each time, a daily digest, or no e-mail."""

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=DeliveryMode.choices,
                initial=current.get(kind, DeliveryMode.IMMEDIATE),
                widget=forms.RadioSelect,
            )
