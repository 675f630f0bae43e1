"""Forms of organisations: they validate shape; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from polyvox.organisations.models import Organisation
from polyvox.participants.models import StakeholderGroup
from polyvox.participants.regions import country_choices


def _country_choices() -> list[tuple[str, object]]:
    return [("", _("Not stated")), *country_choices()]


def _group_choices() -> list[tuple[str, object]]:
    return [("", _("Any stakeholder group")), *StakeholderGroup.choices]


class OrganisationForm(forms.Form):
    """Register an organisation, or edit its details."""

    name = forms.CharField(label=_("Name"), max_length=200)
    stakeholder_group = forms.ChoiceField(
        label=_("Stakeholder group"), choices=StakeholderGroup.choices
    )
    country = forms.ChoiceField(
        label=_("Country or area"), choices=_country_choices, required=False
    )
    # Checked by the service (http or https only): a plain text box keeps the message one.
    website = forms.CharField(
        label=_("Website"),
        required=False,
        max_length=200,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the organisation is and whom it speaks for."),
    )

    @classmethod
    def for_organisation(cls, organisation: Organisation) -> "OrganisationForm":
        return cls(
            initial={
                "name": organisation.name,
                "stakeholder_group": organisation.stakeholder_group,
                "country": organisation.country,
                "website": organisation.website,
                "description": organisation.description,
            }
        )


class FilterForm(forms.Form):
    """Search and filters of the list of organisations (GET)."""

    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    stakeholder_group = forms.ChoiceField(
        label=_("Stakeholder group"), choices=_group_choices, required=False
    )
    country = forms.ChoiceField(
        label=_("Country or area"),
        choices=lambda: [("", _("Any country or area")), *country_choices()],
        required=False,
    )
    verified = forms.ChoiceField(
        label=_("Verification"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Verified")), ("no", _("Not verified"))],
    )

    def verified_value(self) -> bool | None:
        value = self.cleaned_data.get("verified") if self.is_valid() else ""
        return {"yes": True, "no": False}.get(value or "")


class RequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to its administrators (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the organisation's administrators read it."),
    )


class ReasonForm(forms.Form):
    """A reason for refusing or revoking (sent to the person)."""

    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MergeForm(forms.Form):
    into = forms.SlugField(
        label=_("Merge into (the address name of the organisation that remains)"),
        max_length=80,
        help_text=_("The last part of its page address, e.g. “rhizomatica”."),
    )
    reason = forms.CharField(
        label=_("Reason (public)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
