"""Forms of joint_statements: they validate shape; the services decide.

"On behalf of" and "Sign as" accept any organisation that exists (so that the service, not the
form, says "You are not an approved representative of X."), but offer only the ones the viewer
may choose. Deadlines are `datetime-local` fields read in the viewer's time zone (the
`ViewerTimezoneMiddleware` activates it; Django makes the value aware in it).
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polyvox.joint_statements.models import JointStatement, Relation
from polyvox.organisations.models import Organisation

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

_LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MYSELF = ""


def _organisation_field(
    label: "str | StrPromise", help_text: "str | StrPromise" = ""
) -> forms.ModelChoiceField[Organisation]:
    return forms.ModelChoiceField(
        label=label,
        help_text=help_text,
        queryset=Organisation.objects.active(),
        required=False,
        error_messages={"invalid_choice": _("There is no such organisation.")},
    )


def _offer(field: forms.Field, choices: Iterable[Organisation | None]) -> None:
    """Show only `choices` (None: myself); validation still accepts any organisation."""
    field.widget.choices = [
        (MYSELF, _("Myself")) if choice is None else (choice.pk, choice.name) for choice in choices
    ]


def deadline_field(
    *, required: bool = True, help_text: "str | StrPromise" = ""
) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=_("Sign-on deadline"),
        help_text=help_text or _("In your time zone. Signatures are refused after it."),
        widget=_LOCAL_DATETIME,
        required=required,
    )


class JointStatementForm(forms.Form):
    """A new draft (with "on behalf of") or an edit of one (title and text only)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        help_text=_("Markdown. While it is a draft, everyone can read it and each edit is kept."),
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    organisation = _organisation_field(
        _("On behalf of"), _("An organisation you are an approved representative of, or yourself.")
    )

    def __init__(
        self,
        *args: Any,
        represented: Iterable[Organisation] | None = None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["organisation"]
        else:
            _offer(self.fields["organisation"], [None, *(represented or [])])


class OpenForSignOnForm(forms.Form):
    deadline = deadline_field(
        help_text=_("In your time zone. Opening freezes the text; signatures are refused after it.")
    )


class LinkedStatementForm(forms.Form):
    """A dissenting or supplementary statement, published at once."""

    relation = forms.ChoiceField(
        label=_("This statement"),
        choices=[
            (Relation.DISSENT.value, _("dissents from it")),
            (Relation.SUPPLEMENT.value, _("supplements it")),
        ],
        widget=forms.RadioSelect,
        initial=Relation.DISSENT.value,
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}))
    organisation = _organisation_field(
        _("On behalf of"), _("An organisation you are an approved representative of, or yourself.")
    )
    deadline = deadline_field(
        required=False,
        help_text=_(
            "Optional, in your time zone: others may sign it until then. "
            "Without one it is a statement of its author alone."
        ),
    )

    def __init__(self, *args: Any, represented: Iterable[Organisation] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(self.fields["organisation"], [None, *represented])


class SignForm(forms.Form):
    organisation = _organisation_field(_("Sign as"))

    def __init__(
        self, *args: Any, choices: Iterable[Organisation | None] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.widget = forms.RadioSelect()
        _offer(field, choices)
        offered = field.widget.choices
        if offered:
            self.initial.setdefault("organisation", offered[0][0])


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional, public)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PublishFromCaucusForm(forms.Form):
    """A caucus's facilitator publishes its working draft as a joint statement."""

    deadline = deadline_field()
    organisation = _organisation_field(
        _("On behalf of"), _("Optional: an organisation you are an approved representative of.")
    )

    def __init__(self, *args: Any, represented: Iterable[Organisation] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(self.fields["organisation"], [None, *represented])


def statement_initial(statement: JointStatement) -> dict[str, str]:
    return {"title": statement.title, "body": statement.body}
