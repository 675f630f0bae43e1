"""A honeypot field for public forms: humans never see it, simple bots fill it in.

No third-party CAPTCHA and no script: the field is an ordinary text input, hidden by the
stylesheet (``.honeypot`` and ``.field:has(> .honeypot-input)`` are ``display: none``), out of the
tab order (``tabindex="-1"``), with autocomplete off so a browser never fills it for a person,
and labelled "Leave this empty" for the rare reader that shows it anyway. A form that comes back
with it filled in is invalid with a non-field error; nothing is stored.

Use: ``class SignUpForm(HoneypotMixin, forms.Form): ...``. Templates that render the whole form
with ``components/form.html`` need nothing more; a template that renders fields by hand adds
``{% include "core/_honeypot.html" %}`` inside the ``<form>``.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# A name that a form-filling bot finds tempting; no real form of Polyvox has a field of this name.
HONEYPOT_FIELD = "contact_url"
HONEYPOT_MESSAGE = _(
    "This form could not be sent: the field marked “Leave this empty” was filled in. "
    "Empty it and send the form again."
)


class HoneypotInput(forms.TextInput):
    """The honeypot's input: out of the tab order, never autofilled, hidden by its class."""

    def __init__(self) -> None:
        super().__init__(attrs={"class": "honeypot-input", "tabindex": "-1", "autocomplete": "off"})


def honeypot_field() -> forms.CharField:
    return forms.CharField(
        label=_("Leave this empty"),
        required=False,
        strip=False,
        widget=HoneypotInput(),
    )


class HoneypotMixin(forms.BaseForm):
    """Adds the honeypot field (last) to a form; a filled one makes the form invalid."""

    honeypot_field_name = HONEYPOT_FIELD

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[self.honeypot_field_name] = honeypot_field()

    @property
    def honeypot(self) -> forms.BoundField:
        """The bound honeypot field, for templates that render fields by hand."""
        return self[self.honeypot_field_name]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.data.get(self.add_prefix(self.honeypot_field_name)):
            # A non-field error: the honeypot's own field is hidden, so its error would be too.
            raise forms.ValidationError(HONEYPOT_MESSAGE, code="honeypot")
        return cleaned if cleaned is not None else self.cleaned_data


def honeypot_tripped(form: forms.BaseForm) -> bool:
    """True when the form was refused because its honeypot was filled in (for logging/tests)."""
    return any(error.code == "honeypot" for error in form.non_field_errors().as_data())
