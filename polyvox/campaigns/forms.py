"""Forms of campaigns: sending a submission through the intake, and the secretariat's decisions
on a campaign (answer, split, merge)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from polyvox.contributions.fields import AnchoredInputForm, add_publication_field
from polyvox.contributions.models import Outcome
from polyvox.core.permissions import Actor
from polyvox.processes.models import Process


class SubmissionForm(AnchoredInputForm):
    """A submission (position paper), with an optional attachment; received by the intake."""

    attachment = forms.FileField(
        label=_("Attachment (PDF, ODT, DOCX or TXT)"),
        required=False,
        help_text=_("The file type is checked from its content."),
    )
    field_order = ["title", "body", "draft_version", "section", "attachment"]

    def __init__(
        self, *args: object, process: Process, author: Actor | None, **kwargs: object
    ) -> None:
        super().__init__(*args, process=process, author=author, **kwargs)
        # "Publish under" where the process allows pseudonyms (docs/identity.md).
        add_publication_field(self, process=process, author=author)


class AnswerCampaignForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Answer"), choices=[(k, v) for k, v in Outcome.choices if k != Outcome.DUPLICATE]
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))


class SplitCampaignForm(forms.Form):
    tracking_numbers = forms.CharField(
        label=_("Tracking numbers of the submissions to move out"),
        help_text=_("Separate them with spaces or commas."),
    )

    def numbers(self) -> list[str]:
        return self.cleaned_data["tracking_numbers"].replace(",", " ").split()


class MergeCampaignsForm(forms.Form):
    others = forms.CharField(
        label=_("Numbers of the campaigns to merge into this one"),
        help_text=_("Separate them with spaces or commas."),
    )

    def ids(self) -> list[int]:
        text = self.cleaned_data["others"].replace(",", " ")
        return [int(part) for part in text.split() if part.isdigit()]
