"""Forms for drafts: create a draft, save a version (typed text or a .md file), schedule it."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from polyvox.drafts.services import MAX_MARKDOWN_CHARS


class DraftForm(forms.Form):
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=80,
        help_text=_("Used in the address of the draft, e.g. “principles”."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(
        label=_("Language of the text"),
        required=False,
        choices=[("", _("The process's first language")), *settings.LANGUAGES],
        help_text=_("Translators publish language versions from this text."),
    )


class PublishVersionForm(forms.Form):
    markdown = forms.CharField(
        label=_("Text of the new version (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 20, "dir": "auto"}),
        required=False,
        help_text=_(
            "Each heading (#, ##…) and each paragraph or list becomes a section that people can "
            "comment on. Sections you keep or edit keep their links."
        ),
    )
    file = forms.FileField(
        label=_("Or upload a Markdown file"),
        required=False,
        help_text=_(
            "A UTF-8 .md or .txt file. When you choose a file, it is used instead of the text above."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".md,.markdown,.txt,text/markdown,text/plain"}
        ),
    )
    note = forms.CharField(
        label=_("What changed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Shown with the version and sent to the participants."),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data.get("file")
        # UTF-8 takes at most 4 bytes per character.
        if upload is not None and upload.size > MAX_MARKDOWN_CHARS * 4:
            raise forms.ValidationError(_("The file is too large."))
        return upload


class ScheduleVersionForm(forms.Form):
    scheduled_for = forms.DateTimeField(
        label=_("Publish on"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Date and time in your time zone."),
    )
