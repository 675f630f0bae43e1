"""Forms of commitments: they validate shape; the services decide.

"On behalf of" accepts any organisation that exists (so the service says "You are not an
approved representative of X."), but offers only the ones the viewer represents. Evidence links
are typed one per line and checked by the service (http and https only, at most ten).
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polyvox.commitments.models import CommitmentStatus
from polyvox.commitments.selectors import STATES
from polyvox.organisations.models import Organisation
from polyvox.outcomes.models import Decision, Recommendation

MYSELF = ""


class RecommendationChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Recommendation) -> str:
        return f"{obj.number}. {obj.title}"


class DecisionChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Decision) -> str:
        return f"{obj.recommendation.number}. {obj.recommendation.title}"


class CommitmentForm(forms.Form):
    title = forms.CharField(label=_("What you commit to"), max_length=200)
    description = forms.CharField(
        label=_("Details"),
        required=False,
        help_text=_("Optional: how, with whom, what will show it is done."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    due_on = forms.DateField(
        label=_("Due by"),
        help_text=_("A date (UTC). After it, the commitment shows as overdue until it is done."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"),
        help_text=_("An organisation you are an approved representative of, or yourself."),
        queryset=Organisation.objects.all(),
        required=False,
        error_messages={"invalid_choice": _("There is no such organisation.")},
    )
    recommendations = RecommendationChoice(
        label=_("Recommendations it carries out"),
        queryset=Recommendation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("There is no such recommendation in this process.")},
    )
    decision = DecisionChoice(
        label=_("From the decision on"),
        queryset=Decision.objects.none(),
        required=False,
        empty_label=_("No decision"),
        error_messages={"invalid_choice": _("There is no such decision in this process.")},
    )

    def __init__(
        self,
        *args: Any,
        represented: Iterable[Organisation] = (),
        recommendations: Any = None,
        decisions: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        organisation.widget.choices = [(MYSELF, _("Myself"))] + [
            (o.pk, o.name) for o in represented
        ]
        linked: Any = self.fields["recommendations"]
        if recommendations is not None:
            linked.queryset = recommendations
        decision: Any = self.fields["decision"]
        if decisions is not None:
            decision.queryset = decisions
        if not linked.queryset.exists():
            del self.fields["recommendations"]
        if not decision.queryset.exists():
            del self.fields["decision"]


class UpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status now"), choices=CommitmentStatus.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 5}))
    evidence = forms.CharField(
        label=_("Evidence links"),
        required=False,
        help_text=_("One web address (http:// or https://) per line, at most ten."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=_("Reason for dropping it"),
        required=False,
        help_text=_("Required when the status becomes “Dropped”."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def evidence_links(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["evidence"].splitlines() if line.strip()]


class ContestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you contest this update (public)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer (public)"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class FilterForm(forms.Form):
    """The accountability page's filters; an unknown value is shown as an error, not a 500."""

    state = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *STATES], required=False
    )
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    recommendation = forms.TypedChoiceField(
        label=_("Recommendation"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        organisations: Iterable[Organisation] = (),
        recommendations: Iterable[Recommendation] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        organisation: Any = self.fields["organisation"]
        organisation.choices = [("", _("Any organisation"))] + [
            (o.slug, o.name) for o in organisations
        ]
        numbered: Any = self.fields["recommendation"]
        numbered.choices = [("", _("Any recommendation"))] + [
            (r.number, f"{r.number}. {r.title}") for r in recommendations
        ]
