"""Form fields every input form shares: the text, the anchor in a draft, on whose behalf.

Kept apart from `forms` so that campaigns' submission form (the intake's page) asks the same
questions the same way without importing another app's forms module.
"""

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polyvox.contributions.bylines import Byline, byline_choices
from polyvox.core.permissions import Actor, is_signed_in
from polyvox.drafts.models import DraftVersion, Section
from polyvox.organisations.models import Organisation
from polyvox.organisations.permissions import represented_by
from polyvox.processes.models import Process

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise as _StrPromise

_BODY_HELP = _("Markdown is allowed: *emphasis*, lists, links.")


def body_field(label: "str | _StrPromise | None" = None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Your text"),
        help_text=_BODY_HELP,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


def on_behalf_field() -> "forms.ModelChoiceField[Organisation]":
    """ "Post as: myself / each organisation the author represents" (set up by `OnBehalfForm`)."""
    return forms.ModelChoiceField(
        label=_("Post as"),
        queryset=Organisation.objects.none(),
        required=False,
        blank=True,
        empty_label=_("Myself"),
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Post as yourself or as an organisation you represent.")
        },
    )


class OnBehalfForm(forms.Form):
    """An input form whose author may post it on behalf of an organisation they represent.

    The choice is offered only to approved representatives, among the organisations they
    represent now; anyone else posts as themselves and is told how to ask to represent one
    (`ask_to_represent`). `submit_contribution` checks the choice again."""

    on_behalf_of = on_behalf_field()

    def __init__(self, *args: object, author: Actor | None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["on_behalf_of"]
        represented = represented_by(author)
        field.queryset = represented  # type: ignore[attr-defined]
        self.represents = represented.exists()
        self.ask_to_represent = is_signed_in(author) and not self.represents
        if not self.represents:
            # Still validated, so a forged choice is refused rather than dropped.
            field.widget = forms.HiddenInput()

    def add_error(self, field: str | None, error: Any) -> None:
        # A hidden choice's error must show where people can read it.
        hidden = field == "on_behalf_of" and not self.represents
        super().add_error(None if hidden else field, error)


def add_publication_field(
    form: forms.BaseForm, *, process: Process | None, author: Actor | None
) -> None:
    """ "Publish under: my name / my alias / anonymously", only where the process's identity
    policy allows pseudonyms (`submit_contribution` checks the choice again). Without the field
    the input is published under the author's name."""
    if process is None:
        return
    profile = getattr(author, "profile", None) if is_signed_in(author) else None
    choices = byline_choices(process, profile)
    if not choices:
        return
    form.fields["publication"] = forms.ChoiceField(
        label=_("Publish under"),
        choices=choices,
        initial=Byline.NAMED,
        widget=forms.RadioSelect,
        help_text=_(
            "The secretariat always sees your verified account and affiliation; the public sees "
            "only the byline you choose here. Your stakeholder group and country are shown and "
            "counted either way."
        ),
        error_messages={"invalid_choice": _("Publish under your name, your alias or anonymously.")},
    )


class VersionChoiceField(forms.ModelChoiceField[DraftVersion]):
    def label_from_instance(self, obj: DraftVersion) -> str:
        return f"{obj.draft.title} — v{obj.number}"


class AnchoredInputForm(OnBehalfForm):
    """A titled input on a draft version (or one of its sections) of `process`."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    body = body_field()
    draft_version = VersionChoiceField(
        label=_("Which draft is this about?"), queryset=DraftVersion.objects.none(), required=False
    )
    section = forms.ModelChoiceField(
        queryset=Section.objects.none(), required=False, widget=forms.HiddenInput
    )
    field_order = ["title", "body", "draft_version", "section", "on_behalf_of"]

    def __init__(
        self, *args: object, process: Process, author: Actor | None, **kwargs: object
    ) -> None:
        super().__init__(*args, author=author, **kwargs)
        # Only published versions can be commented on (a pending one is not public yet).
        versions = DraftVersion.objects.published().filter(draft__process=process)
        versions = versions.select_related("draft")
        self.fields["draft_version"].queryset = versions  # type: ignore[attr-defined]
        self.fields["section"].queryset = Section.objects.published().filter(  # type: ignore[attr-defined]
            version__draft__process=process
        )

    def add_error(self, field: str | None, error: Any) -> None:
        # The section is a hidden field: its errors must show where people can read them.
        super().add_error(None if field == "section" else field, error)
