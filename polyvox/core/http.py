"""Typed requests: views behind @login_required take an AuthenticatedHttpRequest (django-stubs idiom)."""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from polyvox.participants.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: "User"
