"""Forms for registration, the profile and the statement of interest. Services do the checking."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polyvox.core.timezones import known_timezones
from polyvox.participants.languages import (
    split_language_codes,
    un_language_choices,
    un_language_codes,
)
from polyvox.participants.models import Profile, StakeholderGroup
from polyvox.participants.regions import country_choices


class RegistrationForm(forms.Form):
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
        label=_("Stakeholder group"), choices=StakeholderGroup.choices
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        """The cleaned data as register_participant takes it."""
        return {k: v for k, v in self.cleaned_data.items() if k != "password_again"}


def _timezone_choices() -> list[tuple[str, object]]:
    return [("", _("Use my browser's time zone"))] + [(n, n) for n in sorted(known_timezones())]


def _country_choices() -> list[tuple[str, object]]:
    return [("", _("Not stated")), *country_choices()]


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=120)
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
