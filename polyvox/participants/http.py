"""The signed-in participant of a request: one idiom for every view and API operation acting as one."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from polyvox.participants.models import User


def signed_in_user(request: HttpRequest) -> User:
    """The participant acting in `request`, typed as a `User`.

    Views that act as a participant sit behind @login_required (visitors are sent to log in), API
    operations behind `auth=django_auth` (401); a request that still has no active participant is
    refused (PermissionDenied: 403 on pages and in the API) rather than acted on."""
    user = request.user
    if isinstance(user, User) and user.is_active:
        return user
    raise PermissionDenied(_("Log in to take part."))
