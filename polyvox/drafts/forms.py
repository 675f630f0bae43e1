"""Forms for drafts: create a draft, save a version (typed text or a .md file), schedule it,
translate it."""

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from polyvox.drafts.models import Section
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


class TranslationForm(forms.Form):
    """A language version of a version: the title, one field per section of the original (under
    its anchor), a "still matches" box for each stale section, and a note.

    Built from the original's sections; `stale` are the anchors whose translation was made from
    an older text of the original."""

    title = forms.CharField(
        label=_("Title of the draft in this language"), max_length=200, required=False
    )

    def __init__(
        self,
        *args: Any,
        sections: Sequence[Section],
        language: str,
        stale: Iterable[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sections = list(sections)
        self.stale = set(stale)
        text_attrs = {"lang": language, "dir": "auto"}
        self.fields["title"].widget.attrs.update(text_attrs)
        for section in self.sections:
            if section.is_heading:
                widget: forms.Widget = forms.TextInput(attrs={**text_attrs, "maxlength": 300})
            else:
                widget = forms.Textarea(attrs={**text_attrs, "rows": _rows(section.text)})
            self.fields[f"section-{section.anchor}"] = forms.CharField(
                label=_("Translation of §%(anchor)s") % {"anchor": section.anchor},
                required=False,
                strip=False,
                widget=widget,
            )
            if section.anchor in self.stale:
                self.fields[f"confirm-{section.anchor}"] = forms.BooleanField(
                    label=_("The translation of §%(anchor)s still matches the original")
                    % {"anchor": section.anchor},
                    required=False,
                )
        self.fields["note"] = forms.CharField(
            label=_("Note to readers"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Optional: e.g. which sections were updated."),
        )

    def translated(self) -> dict[str, str]:
        """Anchor → the text typed for it (blank: left untranslated)."""
        return {s.anchor: self.cleaned_data.get(f"section-{s.anchor}") or "" for s in self.sections}

    def confirmed(self) -> list[str]:
        return [anchor for anchor in self.stale if self.cleaned_data.get(f"confirm-{anchor}")]

    def rows(self) -> list[tuple[Section, forms.BoundField, forms.BoundField | None]]:
        """For the template: each original section with its field and its "still matches" box."""
        return [
            (
                section,
                self[f"section-{section.anchor}"],
                self[f"confirm-{section.anchor}"] if section.anchor in self.stale else None,
            )
            for section in self.sections
        ]


def _rows(text: str) -> int:
    return max(3, min(15, len(text) // 70 + text.count("\n") + 1))


class TranslateLanguageForm(forms.Form):
    """The small GET form that picks the language to translate into."""

    language = forms.ChoiceField(label=_("Translate into"))

    def __init__(self, *args: Any, languages: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = dict(settings.LANGUAGES)
        self.fields["language"].choices = [(code, names.get(code, code)) for code in languages]  # type: ignore[attr-defined]
