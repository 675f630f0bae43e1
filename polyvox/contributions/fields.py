"""Form fields every input form shares: the text, the anchor in a draft, on whose behalf.

Kept apart from `forms` so that campaigns' submission form (the intake's page) asks the same
questions the same way without importing another app's forms module.
"""

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polyvox.drafts.models import DraftVersion, Section
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


def on_behalf_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("Post on behalf of my organisation"),
        required=False,
        help_text=_("Only if your profile names your organisation and says you speak for it."),
    )


class VersionChoiceField(forms.ModelChoiceField[DraftVersion]):
    def label_from_instance(self, obj: DraftVersion) -> str:
        return f"{obj.draft.title} — v{obj.number}"


class AnchoredInputForm(forms.Form):
    """A titled input on a draft version (or one of its sections) of `process`."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    body = body_field()
    draft_version = VersionChoiceField(
        label=_("Which draft is this about?"), queryset=DraftVersion.objects.none(), required=False
    )
    section = forms.ModelChoiceField(
        queryset=Section.objects.none(), required=False, widget=forms.HiddenInput
    )
    on_behalf_of_organisation = on_behalf_field()

    def __init__(self, *args: object, process: Process, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
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
