"""Forms: follow a process by e-mail, and the e-mail preferences."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
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
    """The language of the e-mails, and one choice per kind of notification: an e-mail each
    time, a daily digest, or no e-mail."""

    def __init__(self, *args: Any, current: dict[str, str], language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each language named in itself, so that anyone finds theirs whatever the page's is.
        self.fields["language"] = forms.ChoiceField(
            label=_("Language of your e-mails and notifications"),
            choices=[
                (code, get_language_info(code)["name_local"]) for code, _n in settings.LANGUAGES
            ],
            initial=language,
            required=False,  # not sent: unchanged
        )
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=DeliveryMode.choices,
                initial=current.get(kind, DeliveryMode.IMMEDIATE),
                widget=forms.RadioSelect,
            )
