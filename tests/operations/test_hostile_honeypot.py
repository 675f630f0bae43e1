"""The honeypot: a field people never see; a form that comes back with it filled is refused."""

from django import forms
from django.template import Context, Template

from polyvox.core.honeypot import HONEYPOT_FIELD, HoneypotMixin, honeypot_tripped


class SignUp(HoneypotMixin, forms.Form):
    name = forms.CharField()


def test_a_filled_honeypot_makes_the_form_invalid_with_a_non_field_error() -> None:
    form = SignUp(data={"name": "Ada", HONEYPOT_FIELD: "http://spam.example"})

    assert not form.is_valid()
    assert honeypot_tripped(form)
    assert form.non_field_errors() == [
        "This form could not be sent: the field marked “Leave this empty” was filled in. "
        "Empty it and send the form again."
    ]


def test_an_empty_honeypot_lets_the_form_through() -> None:
    form = SignUp(data={"name": "Ada"})

    assert form.is_valid()
    assert not honeypot_tripped(form)


def test_the_honeypot_is_labelled_out_of_the_tab_order_and_never_autofilled() -> None:
    html = Template('{% include "core/_honeypot.html" %}').render(Context({"form": SignUp()}))

    assert '<div class="honeypot"><label for="id_contact_url">Leave this empty</label>' in html
    assert 'class="honeypot-input"' in html
    assert 'tabindex="-1"' in html
    assert 'autocomplete="off"' in html
