"""Reads of a person's own tokens: only they see them."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from polyvox.accounts.models import ApiToken
from polyvox.core.permissions import Actor, is_signed_in


def tokens_of(*, viewer: Actor | None) -> QuerySet[ApiToken]:
    """The viewer's own tokens, newest first (nobody else's, whoever asks)."""
    if not is_signed_in(viewer):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=viewer.pk).select_related("process")


def access_token(*, viewer: Actor | None, token_id: int) -> ApiToken:
    """One of the viewer's own tokens, or 404 (another person's token is not even confirmed)."""
    token = tokens_of(viewer=viewer).filter(pk=token_id).first()
    if token is None:
        raise Http404(_("No such token."))
    return token
