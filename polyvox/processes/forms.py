"""Forms for the secretariat: create a process, schedule a phase, add a member."""

from django import forms
from django.utils.translation import gettext_lazy as _

from polyvox.processes.models import Phase, Process, Role
from polyvox.processes.phase_types import PhaseKind
from polyvox.processes.process_templates import ProcessTemplateSpec
from polyvox.processes.roles import role_choices
from polyvox.processes.services.creating import UN_LANGUAGES


class ProcessForm(forms.ModelForm[Process]):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=[(code, code) for code in UN_LANGUAGES],
        widget=forms.CheckboxSelectMultiple,
        initial=["en"],
    )

    class Meta:
        model = Process
        fields = [
            "slug", "title", "mandate", "languages", "decision_mode", "identity_policy",
            "participation_policy", "requires_statement_of_interest", "accepts_late_inputs",
        ]  # fmt: skip


class PhaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PhaseKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        help_text=_("In your time zone."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"),
        help_text=_("In your time zone. Inputs are refused after this."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class MemberForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=role_choices, initial=Role.PARTICIPANT)


class InvitationForm(forms.Form):
    """Invite someone by e-mail; the role is theirs once they sign in and accept."""

    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=role_choices, initial=Role.PARTICIPANT)


class RemoveRoleForm(forms.Form):
    membership = forms.IntegerField(widget=forms.HiddenInput)


# Editing and rescheduling (issue 8.1) -------------------------------------------------------------

_LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ProcessEditForm(forms.ModelForm[Process]):
    """Everything a secretariat may change after creation; the short name (in every URL and on
    the record) stays."""

    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=[(code, code) for code in UN_LANGUAGES],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Process
        fields = [
            "title", "mandate", "languages", "decision_mode", "identity_policy",
            "participation_policy", "requires_statement_of_interest", "accepts_late_inputs",
            "how_it_works", "answers_need_review",
        ]  # fmt: skip


class PhaseRescheduleForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        help_text=_("In your time zone. A phase that has started keeps its start."),
        widget=_LOCAL_DATETIME,
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"),
        help_text=_("In your time zone. Inputs are refused after this."),
        widget=_LOCAL_DATETIME,
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        help_text=_("Published on the process page and the record."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    short_schedule_reason = forms.CharField(
        label=_("Why this phase is shorter than its template's minimum"),
        help_text=_("Only needed below the minimum; published."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class PhaseReasonForm(forms.Form):
    """Closing a phase early or removing one: the reason is published."""

    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Published on the process page and the record."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProcessFromTemplateForm(forms.Form):
    """A process from a template: names, opening date, and each phase's length (a reason where it
    is shorter than the template's minimum)."""

    slug = forms.SlugField(label=_("Short name"), max_length=80)
    title = forms.CharField(label=_("Title"), max_length=200)
    mandate = forms.CharField(
        label=_("Mandate"),
        help_text=_("Leave empty to use the template's description."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    opens = forms.DateField(
        label=_("Opens on"),
        help_text=_("The first phase starts at midnight UTC that day; the others follow it."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: object, template: ProcessTemplateSpec, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.template = template
        for index, phase in enumerate(template.phases, start=1):
            minimum = (
                _("Minimum %(days)d days (%(source)s).")
                % {"days": phase.min_days, "source": phase.source}
                if phase.min_days is not None
                else _("No minimum.")
            )
            self.fields[f"phase_{index}_days"] = forms.IntegerField(
                label=_("Phase %(number)d, %(title)s: days")
                % {"number": index, "title": phase.title},
                min_value=1,
                max_value=3650,
                initial=phase.default_days,
                help_text=_("Default %(days)d days. ") % {"days": phase.default_days} + minimum,
            )
            self.fields[f"phase_{index}_reason"] = forms.CharField(
                label=_("Phase %(number)d: why it is shorter than the minimum") % {"number": index},
                help_text=_("Only needed below the minimum. Published on the process page."),
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )


class SaveAsTemplateForm(forms.Form):
    name = forms.SlugField(
        label=_("Name"),
        max_length=80,
        help_text=_("Lowercase letters, digits and hyphens, e.g. “national-ict-policy”."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)


# Language versions of the process texts (issue 13.1) ---------------------------------------------


class TranslationForm(forms.Form):
    """The process texts in one language, and each phase's (fields `phase_<id>_title` and
    `phase_<id>_description`, added for the phases given)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    mandate = forms.CharField(label=_("Mandate"), widget=forms.Textarea(attrs={"rows": 6}))
    how_it_works = forms.CharField(
        label=_("How this process works"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("Leave blank to show the original."),
    )

    def __init__(
        self,
        *args: object,
        language: str = "",
        phases: list[Phase] | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.phases = list(phases or [])
        for phase in self.phases:
            self.fields[f"phase_{phase.pk}_title"] = forms.CharField(
                label=_("Title of the phase"), max_length=200, required=False
            )
            self.fields[f"phase_{phase.pk}_description"] = forms.CharField(
                label=_("Description of the phase"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )
        # What the translator types is in the target language: spell-checkers and screen
        # readers follow `lang`; `dir="auto"` lets Arabic run right to left in an English page.
        for field in self.fields.values():
            field.widget.attrs.update({"dir": "auto", **({"lang": language} if language else {})})

    def phase_texts(self) -> dict[int, tuple[str, str]]:
        """Phase id → (title, description), from the cleaned data."""
        return {
            phase.pk: (
                self.cleaned_data.get(f"phase_{phase.pk}_title", ""),
                self.cleaned_data.get(f"phase_{phase.pk}_description", ""),
            )
            for phase in self.phases
        }

    def phase_fields(self) -> list[tuple[Phase, forms.BoundField, forms.BoundField]]:
        return [
            (phase, self[f"phase_{phase.pk}_title"], self[f"phase_{phase.pk}_description"])
            for phase in self.phases
        ]
