"""A person's account pages: API tokens, the download of all their data, closing the account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from polyvox.accounts.forms import CloseAccountForm, TokenForm
from polyvox.accounts.personal_data import personal_data_chunks
from polyvox.accounts.selectors import access_token, tokens_of
from polyvox.accounts.services.closing import close_account
from polyvox.accounts.services.tokens import create_token, revoke_token
from polyvox.core.forms import apply_validation_error
from polyvox.participants.http import signed_in_user

TOKENS_PER_PAGE = 25


@never_cache
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The person's tokens and a form for a new one; a new key is shown on the answer, once."""
    actor = signed_in_user(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = create_token(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return render(request, "accounts/token_created.html", {"made": made})
    page = Paginator(tokens_of(viewer=actor), TOKENS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/tokens.html", {"form": form, "page": page})


@require_POST
@login_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    actor = signed_in_user(request)
    token = revoke_token(actor=actor, token=access_token(viewer=actor, token_id=token_id))
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


@never_cache
@login_required
def data(request: HttpRequest) -> StreamingHttpResponse:
    """Everything Polyvox holds about the signed-in person, as one JSON file, streamed."""
    actor = signed_in_user(request)
    response = StreamingHttpResponse(
        personal_data_chunks(actor), content_type="application/json; charset=utf-8"
    )
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="polyvox-my-data-{stamp}.json"'
    return response


@never_cache
@login_required
def close(request: HttpRequest) -> HttpResponse:
    actor = signed_in_user(request)
    form = CloseAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            close_account(actor=actor, user=actor, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            logout(request)
            return redirect("accounts:closed")
    return render(request, "accounts/close.html", {"form": form})


def closed(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/closed.html")
