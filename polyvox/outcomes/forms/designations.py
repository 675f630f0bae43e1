"""Forms of recommendations and consensus designations: they validate shape; the services decide.

Sections are offered from the latest published version of each of the process's drafts, by
anchor (a recommendation keeps the sections it already links to, even from an older version).
Statements are named by their numbers, so the form does not list every statement of a large
conversation. "On behalf of" accepts any organisation that exists (so that the service, not the
form, says who may speak for it) but offers only the ones the viewer represents.
"""

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from polyvox.drafts.models import DraftVersion, Section
from polyvox.organisations.models import Organisation
from polyvox.outcomes.models import Level, Recommendation
from polyvox.processes.models import Process
from polyvox.statements.models import Statement

MAX_REASON_CHARS = 5000
MYSELF = ""


def offered_sections(process: Process, linked: Iterable[Section] = ()) -> Any:
    """Sections of the newest published version of each draft of `process`, draft by draft, in
    text order, plus `linked` (the ones a recommendation already links to)."""
    newest = (
        DraftVersion.objects.published()
        .filter(draft=OuterRef("version__draft"))
        .values("draft")
        .annotate(latest=Max("number"))
        .values("latest")
    )
    return (
        Section.objects.filter(version__draft__process=process, version__published_at__isnull=False)
        .filter(Q(version__number=Subquery(newest)) | Q(pk__in=[s.pk for s in linked]))
        .select_related("version__draft")
        .order_by("version__draft__created_at", "version__draft_id", "version__number", "order")
    )


class SectionChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Section) -> str:
        name = obj.heading or (obj.text[:80] + ("…" if len(obj.text) > 80 else ""))
        return f"{obj.version.draft.title} v{obj.version.number} § {obj.anchor} — {name}"


_NUMBERS = re.compile(r"[\s,;]+")


class RecommendationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text"),
        help_text=_("Markdown. Once a designation is proposed, the text can no longer change."),
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    sections = SectionChoiceField(
        label=_("Draft sections it builds on"),
        queryset=Section.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("That section is not in this process's drafts.")},
    )
    statements = forms.CharField(
        label=_("Statements voted on (numbers)"),
        help_text=_(
            "Optional: the numbers of accepted statements whose votes are evidence for it, "
            "separated by commas."
        ),
        required=False,
        max_length=2000,
    )

    def __init__(
        self,
        *args: Any,
        process: Process,
        recommendation: Recommendation | None = None,
        **kwargs: Any,
    ) -> None:
        if recommendation is not None:
            linked = list(recommendation.sections.all())
            kwargs.setdefault(
                "initial",
                {
                    "title": recommendation.title,
                    "text": recommendation.text,
                    "sections": [s.pk for s in linked],
                    "statements": ", ".join(
                        str(pk) for pk in recommendation.statements.values_list("pk", flat=True)
                    ),
                },
            )
        else:
            linked = []
        super().__init__(*args, **kwargs)
        field = self.fields["sections"]
        offered = offered_sections(process, linked)
        field.queryset = offered  # type: ignore[attr-defined]
        if not offered.exists():
            field.help_text = _("No draft of this process has a published version yet.")

    def clean_statements(self) -> list[Statement]:
        raw = self.cleaned_data.get("statements") or ""
        numbers: list[int] = []
        for part in _NUMBERS.split(raw.strip()):
            if not part:
                continue
            number = part.lstrip("#")
            if not number.isdigit() or len(number) > 12:
                raise forms.ValidationError(
                    _("“%(value)s” is not a statement number.") % {"value": part[:40]}
                )
            numbers.append(int(number))
        found = {s.pk: s for s in Statement.objects.filter(pk__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(
                _("There is no statement %(number)s.") % {"number": missing[0]}
            )
        return list(dict.fromkeys(found[n] for n in numbers))


def _offer_organisations(field: forms.Field, represented: Iterable[Organisation]) -> None:
    """Show only the viewer and the organisations they represent; validation accepts any."""
    field.widget.choices = [(MYSELF, _("Myself")), *((o.pk, o.name) for o in represented)]


def _level_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Designation"),
        choices=Level.choices,
        widget=forms.RadioSelect,
        help_text=_("ICANN GNSO Working Group Guidelines, section 3.6."),
    )


class ProposeDesignationForm(forms.Form):
    level = _level_field()
    rationale = forms.CharField(
        label=_("Rationale"),
        help_text=_("Why this level, given the evidence. Public."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_REASON_CHARS,
    )


class FinaliseDesignationForm(forms.Form):
    level = _level_field()
    rationale = forms.CharField(
        label=_("Rationale"),
        help_text=_("Required when you revise the level proposed. Public."),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=MAX_REASON_CHARS,
    )


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Your objection and its reasons"),
        help_text=_(
            "Public, with your name. If the designation is made final while your objection "
            "stands, it is attached to it verbatim as a minority view."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_REASON_CHARS,
    )
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"),
        help_text=_("An organisation you are an approved representative of, or yourself."),
        queryset=Organisation.objects.active(),
        required=False,
        error_messages={"invalid_choice": _("There is no such organisation.")},
    )

    def __init__(self, *args: Any, represented: Sequence[Organisation] = (), **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_objection_%s")
        super().__init__(*args, **kwargs)
        _offer_organisations(self.fields["organisation"], represented)
