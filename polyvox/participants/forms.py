"""Forms for registration, the profile and the statement of interest. Services do the checking."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from polyvox.core.honeypot import HoneypotMixin
from polyvox.core.timezones import known_timezones
from polyvox.participants.languages import (
    split_language_codes,
    un_language_choices,
    un_language_codes,
)
from polyvox.participants.models import Profile, StakeholderGroup
from polyvox.participants.regions import country_choices


def _stakeholder_group_choices() -> list[tuple[str, object]]:
    """No group preselected: a person chooses theirs, or the form says they must."""
    return [("", _("Choose…")), *StakeholderGroup.choices]


class RegistrationForm(HoneypotMixin, forms.Form):
    username = forms.CharField(
        label=_("Username"), max_length=150,
        help_text=_("Letters, digits and @ . + - _ only. Shown in the address of your public page."),
    )  # fmt: skip
    email = forms.EmailField(
        label=_("E-mail address"), help_text=_("Private: never shown to other participants.")
    )
    password = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )  # fmt: skip
    password_again = forms.CharField(
        label=_("Password again"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )  # fmt: skip
    display_name = forms.CharField(
        label=_("Display name"), max_length=120, help_text=_("The name others will see.")
    )
    stakeholder_group = forms.ChoiceField(
        label=_("Stakeholder group"), choices=_stakeholder_group_choices,
        error_messages={"required": _("Choose your stakeholder group.")},
    )  # fmt: skip
    accept_terms = forms.BooleanField(
        label=_("I accept the terms of use"),
        error_messages={"required": _("To register, accept the terms of use.")},
    )
    accept_privacy = forms.BooleanField(
        label=_("I have read the privacy notice"),
        error_messages={
            "required": _("To register, confirm that you have read the privacy notice.")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accept_terms"].help_text = document_link(
            "participants:terms", _("Read the terms of use (version %(version)s)"),
            settings.POLYVOX_TERMS_VERSION,
        )  # fmt: skip
        self.fields["accept_privacy"].help_text = document_link(
            "participants:privacy", _("Read the privacy notice (version %(version)s)"),
            settings.POLYVOX_PRIVACY_VERSION,
        )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        """The cleaned data as register_participant takes it: the consents become
        `record_consent` (both are required, so a valid form accepted both)."""
        skip = {"password_again", "accept_terms", "accept_privacy", self.honeypot_field_name}
        fields = {k: v for k, v in self.cleaned_data.items() if k not in skip}
        return {**fields, "record_consent": True}


def document_link(url_name: str, text: Any, version: str) -> str:
    """A link to the terms or the privacy notice, for a help text (escaped, then marked safe)."""
    return format_html('<a href="{}">{}</a>', reverse(url_name), text % {"version": version})


class ConsentForm(forms.Form):
    """Accept a new version of the terms and the privacy notice (only the missing ones are asked)."""

    accept_terms = forms.BooleanField(
        label=_("I accept the terms of use"),
        error_messages={"required": _("To go on, accept the terms of use.")},
    )
    accept_privacy = forms.BooleanField(
        label=_("I have read the privacy notice"),
        error_messages={"required": _("To go on, confirm that you have read the privacy notice.")},
    )

    def __init__(self, *args: Any, missing: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "terms" not in missing:
            del self.fields["accept_terms"]
        else:
            self.fields["accept_terms"].help_text = document_link(
                "participants:terms", _("Read the terms of use (version %(version)s)"),
                settings.POLYVOX_TERMS_VERSION,
            )  # fmt: skip
        if "privacy" not in missing:
            del self.fields["accept_privacy"]
        else:
            self.fields["accept_privacy"].help_text = document_link(
                "participants:privacy", _("Read the privacy notice (version %(version)s)"),
                settings.POLYVOX_PRIVACY_VERSION,
            )  # fmt: skip


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label=_("New e-mail address"),
        help_text=_("We send a link to it; until you open it you cannot take part."),
    )
    password = forms.CharField(
        label=_("Your current password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )  # fmt: skip


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form; the mail's link starts with settings.SITE_URL, never the request's
    host (a forged Host header must not put an attacker's address in the mail)."""

    def send_mail(
        self, subject_template_name: str, email_template_name: str, context: dict[str, Any],
        from_email: str | None, to_email: str, html_email_template_name: str | None = None,
    ) -> None:  # fmt: skip
        context = {**context, "site_url": settings.SITE_URL}
        super().send_mail(
            subject_template_name, email_template_name, context, from_email, to_email,
            html_email_template_name,
        )  # fmt: skip


def _timezone_choices() -> list[tuple[str, object]]:
    return [("", _("Use my browser's time zone"))] + [(n, n) for n in sorted(known_timezones())]


def _country_choices() -> list[tuple[str, object]]:
    return [("", _("Not stated")), *country_choices()]


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=120)
    alias = forms.CharField(
        label=_("Alias (pseudonym)"), max_length=120, required=False,
        help_text=_("Optional. Where a process allows pseudonyms you may publish an input under "
                    "this alias instead of your name; the public never sees who is behind it, the "
                    "process's secretariat does. Not your name, username or e-mail address."),
    )  # fmt: skip
    stakeholder_group = forms.ChoiceField(
        label=_("Stakeholder group"), choices=StakeholderGroup.choices
    )
    subgroup = forms.CharField(
        label=_("Subgroup"), max_length=120, required=False,
        help_text=_("In your own words, e.g. “community network operator”, “regulator”."),
    )  # fmt: skip
    organisation = forms.CharField(
        label=_("Organisation"), max_length=200, required=False,
        help_text=_("Your affiliation. To speak on an organisation's behalf, ask to represent it "
                    "on its page; its administrators decide."),
    )  # fmt: skip
    country = forms.ChoiceField(
        label=_("Country or area"), choices=_country_choices, required=False,
        help_text=_("Public, with its UN region. From the UN M49 list."),
    )  # fmt: skip
    languages = forms.MultipleChoiceField(
        label=_("Languages you can work in"), choices=un_language_choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    other_languages = forms.CharField(
        label=_("Other languages"), max_length=200, required=False,
        help_text=_("Language codes separated by commas, e.g. “sw, pt, hi”."),
    )  # fmt: skip
    interests = forms.CharField(label=_("Interests"), widget=forms.Textarea, required=False)
    gender = forms.CharField(
        label=_("Gender (optional, private)"), max_length=80, required=False,
        help_text=_(
            "In your own words, or leave empty. Private: never shown on any page, export or API; "
            "used only in participation counts, where groups of fewer than five are merged."
        ),
    )  # fmt: skip
    timezone = forms.ChoiceField(
        label=_("Time zone"), choices=_timezone_choices, required=False,
        help_text=_("Deadlines are shown in this time zone."),
    )  # fmt: skip

    @classmethod
    def initial_from(cls, profile: Profile) -> dict[str, Any]:
        un = un_language_codes()
        initial = {
            name: getattr(profile, name) for name in cls.base_fields if hasattr(profile, name)
        }
        initial["languages"] = [code for code in profile.languages if code in un]
        initial["other_languages"] = ", ".join(c for c in profile.languages if c not in un)
        return initial

    def service_fields(self) -> dict[str, Any]:
        """The cleaned data as update_profile takes it: both language fields become one list."""
        fields = dict(self.cleaned_data)
        other = split_language_codes(fields.pop("other_languages", ""))
        fields["languages"] = [*fields.get("languages", []), *other]
        return fields


class InterestsForm(forms.Form):
    affiliations = forms.CharField(
        label=_("Affiliations"), widget=forms.Textarea,
        help_text=_("Organisations you work for, advise or belong to. Write “none” if none."),
    )  # fmt: skip
    funding = forms.CharField(
        label=_("Funding"), widget=forms.Textarea, required=False,
        help_text=_("Who pays for your participation or your work on this topic."),
    )  # fmt: skip
    interests = forms.CharField(
        label=_("Interests"), widget=forms.Textarea, required=False,
        help_text=_("Any financial or other interest in the outcome."),
    )  # fmt: skip
