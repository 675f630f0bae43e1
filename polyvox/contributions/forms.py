"""Forms for contributing, replying, editing, answering, filtering the workbench and moderating."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from polyvox.contributions.fields import (
    AnchoredInputForm,
    OnBehalfForm,
    add_publication_field,
    body_field,
)
from polyvox.contributions.models import Contribution, ContributionKind, Outcome
from polyvox.contributions.selectors.workbench import AnswerState, WorkbenchFilters
from polyvox.contributions.services.submitting import default_input_language
from polyvox.core.honeypot import HoneypotMixin
from polyvox.core.moderation import ReasonCode
from polyvox.core.permissions import Actor, is_signed_in
from polyvox.drafts.models import Section
from polyvox.drafts.selectors import changed_sections_since
from polyvox.participants.models import StakeholderGroup
from polyvox.processes.models import Process


def language_choices() -> list[tuple[str, str]]:
    """The site's languages, each named in itself ("Français", "العربية"): a reader finds their
    own whatever the page's language."""
    return [
        (code, str(get_language_info(code)["name_local"])) for code, _label in settings.LANGUAGES
    ]


def add_language_field(form: forms.BaseForm, *, author: Actor | None, initial: str = "") -> None:
    """ "Written in": preset to the author's first language (else the page's); the service checks
    the choice again and takes the same default when the field is not sent."""
    profile = getattr(author, "profile", None) if is_signed_in(author) else None
    form.fields["language"] = forms.ChoiceField(
        label=_("Written in"),
        choices=language_choices(),
        initial=initial or default_input_language(profile),
        required=False,
        help_text=_("The language of your text: readers can find inputs in their language."),
        error_messages={"invalid_choice": _("Choose one of the languages listed.")},
    )


class _InputForm(HoneypotMixin):
    """An input form's shared parts: a honeypot (its value never reaches the service) and, where
    the process allows pseudonyms, the byline the input is published under."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned.pop(self.honeypot_field_name, None)
        return cleaned


class ContributionForm(_InputForm, AnchoredInputForm):
    """A general comment or an omission; the kind comes from the URL (submissions: campaigns)."""

    def __init__(
        self, *args: object, process: Process, kind: str, author: Actor | None, **kwargs: object
    ) -> None:
        super().__init__(*args, process=process, author=author, **kwargs)
        add_language_field(self, author=author)
        add_publication_field(self, process=process, author=author)
        if kind == ContributionKind.OMISSION:
            self.fields["body"].label = _("What is missing?")


class SectionCommentForm(_InputForm, OnBehalfForm):
    body = body_field(_("Your comment on this section"))
    field_order = ["body", "on_behalf_of"]

    def __init__(
        self, *args: object, author: Actor | None, process: Process | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, author=author, **kwargs)
        add_language_field(self, author=author)
        add_publication_field(self, process=process, author=author)


class ReplyForm(_InputForm, OnBehalfForm):
    body = body_field(_("Your reply"))
    field_order = ["body", "on_behalf_of"]

    def __init__(
        self, *args: object, author: Actor | None, process: Process | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, author=author, **kwargs)
        add_language_field(self, author=author)
        add_publication_field(self, process=process, author=author)


class EditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    body = body_field()

    def __init__(self, *args: object, language: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        add_language_field(self, author=None, initial=language)


class DispositionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Answer"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required unless the input was fully incorporated. Published with the answer."),
    )
    duplicate_of = forms.CharField(
        label=_("Duplicate of (tracking number)"), required=False, max_length=32
    )
    changed_sections = forms.ModelMultipleChoiceField(
        label=_("Sections it changed in a later version"),
        queryset=Section.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: object,
        contribution: Contribution,
        show_all_sections: bool = False,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        later = Section.objects.published().select_related("version__draft")
        base = contribution.draft_version
        later = (
            later.filter(version__draft=base.draft, version__number__gt=base.number)
            if base is not None
            else later.filter(version__draft__process=contribution.process)
        )
        field = self.fields["changed_sections"]
        field.queryset = later.order_by("version__number", "order")  # type: ignore[attr-defined]
        # Any later section is accepted; the sections the diff shows as changed are offered
        # first, and only they unless the secretariat asks for every section.
        self.suggested = changed_sections_since(base) if base is not None else []
        self.narrowed = bool(self.suggested) and not show_all_sections
        if self.suggested:
            # Narrowed, the sections an earlier answer linked stay shown (and ticked).
            rest = self.initial.get("changed_sections", []) if self.narrowed else later
            shown = self.suggested + [s for s in rest if s not in self.suggested]
            field.widget.choices = [(s.pk, section_choice_label(s)) for s in shown]
            field.help_text = _("The sections that later versions changed come first.")
        else:
            field.label_from_instance = section_choice_label  # type: ignore[attr-defined]


def section_choice_label(section: Section) -> str:
    """Version, anchor and the start of its text: enough to pick a change without the draft."""
    content = section.heading if section.level else section.text
    excerpt = content if len(content) <= 120 else content[:119].rstrip() + "…"
    return f"v{section.version.number} §{section.anchor}: {excerpt}"


class WorkbenchFilterForm(forms.Form):
    """GET filters, search and sort; every field optional so an empty form lists everything."""

    q = forms.CharField(label=_("Search the text"), required=False, max_length=200)
    section = forms.ChoiceField(label=_("Section"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All inputs")), *ContributionKind.choices]
    )
    stakeholder_group = forms.ChoiceField(
        label=_("Stakeholder group"),
        required=False,
        choices=[("", _("All groups")), *StakeholderGroup.choices],
    )
    organisation = forms.CharField(label=_("Organisation"), required=False, max_length=200)
    answered = forms.ChoiceField(
        label=_("Answer"),
        required=False,
        choices=[
            ("", _("All")),
            ("no", _("Not yet answered")),
            ("proposed", _("Proposed, awaiting review")),
            ("yes", _("Answered")),
        ],
    )
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    older_than = forms.IntegerField(
        label=_("Unanswered for more than (days)"), required=False, min_value=0, max_value=3650
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("oldest", _("Received, oldest first")),
            ("newest", _("Received, newest first")),
            ("section", _("Section")),
            ("kind", _("Kind")),
        ],
    )

    def __init__(
        self,
        *args: object,
        anchors: list[str],
        members: Iterable[tuple[int, str]] = (),
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["section"].choices = [("", _("All sections")), *((a, a) for a in anchors)]  # type: ignore[attr-defined]
        self.fields["assignee"].choices = [  # type: ignore[attr-defined]
            ("", _("Anyone or no one")),
            ("mine", _("My queue")),
            ("none", _("No one yet")),
            *((str(pk), name) for pk, name in members),
        ]

    def filters(self) -> WorkbenchFilters:
        """The filters a valid form asks for; an invalid one shows its errors and lists all."""
        data = self.cleaned_data if self.is_valid() else {}
        state = {"yes": AnswerState.ANSWERED, "no": AnswerState.UNANSWERED}.get(
            data.get("answered", ""), AnswerState.PROPOSED if data.get("answered") else None
        )
        return WorkbenchFilters(
            query=data.get("q") or "",
            section_anchor=data.get("section") or None,
            kind=data.get("kind") or None,
            stakeholder_group=data.get("stakeholder_group") or None,
            organisation=data.get("organisation") or "",
            answer_state=state,
            assignee=data.get("assignee") or None,
            unanswered_days=data.get("older_than"),
            sort=data.get("sort") or "oldest",
        )


class BulkActionForm(forms.Form):
    """One action for the inputs ticked on a workbench page: assign, unassign, or answer."""

    ACTIONS = [
        ("assign", _("Assign to")),
        ("unassign", _("Remove from every queue")),
        ("answer", _("Give all of them one answer")),
    ]
    inputs = forms.Field(label=_("Inputs"), required=False, widget=forms.MultipleHiddenInput)
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS, widget=forms.RadioSelect)
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)
    outcome = forms.ChoiceField(
        label=_("Answer"),
        required=False,
        choices=[("", "—"), *((v, lbl) for v, lbl in Outcome.choices if v != Outcome.DUPLICATE)],
    )
    reason = forms.CharField(
        label=_("Reason (published with each answer)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, members: Iterable[tuple[int, str]], **kwargs: object) -> None:
        # Its own ids: the filter form on the same page has an "assignee" field too, and a
        # label must point at one element only.
        kwargs.setdefault("auto_id", "bulk_%s")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["assignee"].choices = [("", "—"), *((str(pk), n) for pk, n in members)]  # type: ignore[attr-defined]

    def clean_inputs(self) -> list[int]:
        # Whole numbers only; the view keeps those of this process, the service checks them.
        values = self.cleaned_data.get("inputs") or []
        ids = [int(v) for v in values if str(v).isdigit()]
        if not ids:
            raise forms.ValidationError(_("Select at least one input."))
        return ids


class InternalNoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note (workbench members only)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve and publish")), ("return", _("Return for changes"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the proposer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HideForm(forms.Form):
    # The published reason codes of the policy; none of them is "disagreement".
    reason_code = forms.ChoiceField(
        label=_("Reason code (published)"),
        choices=[(c.value, c.label) for c in ReasonCode if c != ReasonCode.AWAITING_REVIEW],
    )
    reason = forms.CharField(
        label=_("Reason for hiding (published)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseProcessForm(forms.Form):
    note = forms.CharField(
        label=_("Why the process closes with inputs unanswered"),
        help_text=_("Needed only while inputs are unanswered. Published on the process page."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class PublicListFilterForm(forms.Form):
    """GET search and filters of the public list; every field optional, a bad one is ignored."""

    q = forms.CharField(label=_("Search the inputs"), required=False, max_length=500)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    section = forms.ChoiceField(label=_("Section"), required=False)
    language = forms.ChoiceField(label=_("Written in"), required=False)
    # Set by the link from an organisation's page; the list names the organisation.
    organisation = forms.SlugField(required=False, max_length=80, widget=forms.HiddenInput)

    def __init__(self, *args: object, anchors: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        kinds = [(k, label) for k, label in ContributionKind.choices if k != "reply"]
        self.fields["kind"].choices = [("", _("All kinds")), *kinds]  # type: ignore[attr-defined]
        self.fields["section"].choices = [  # type: ignore[attr-defined]
            ("", _("All sections")),
            *((anchor, f"§ {anchor}") for anchor in anchors),
        ]
        self.fields["language"].choices = [("", _("All languages")), *language_choices()]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, str]:
        """The valid fields' values (query, kind, section, organisation); invalid ones show their
        error (a hidden organisation that is not a slug is ignored)."""
        if not self.is_bound:
            return {"query": "", "kind": "", "section": "", "organisation": "", "language": ""}
        self.is_valid()
        data = self.cleaned_data
        return {
            "query": data.get("q") or "",
            "kind": data.get("kind") or "",
            "section": data.get("section") or "",
            "organisation": data.get("organisation") or "",
            "language": data.get("language") or "",
        }
