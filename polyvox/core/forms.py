"""Turn a service's ValidationError into form errors, so views stay three lines."""

from django import forms
from django.core.exceptions import ValidationError


def apply_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Attach errors to their fields where the form has them; the rest become non-field errors."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
