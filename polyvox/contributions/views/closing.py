"""The closing page: what is still unanswered, a reason field, and the button that closes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from polyvox.contributions.forms import CloseProcessForm
from polyvox.contributions.selectors.closing import unanswered_inputs
from polyvox.contributions.services.closing import close_process
from polyvox.core.forms import apply_validation_error
from polyvox.core.permissions import require
from polyvox.participants.http import signed_in_user
from polyvox.processes.permissions import can_close_process
from polyvox.processes.selectors import access_process


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() else 1


@login_required
def close(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    require(
        can_close_process(actor, process),
        _("Only the secretariat or the chair can close this process."),
    )
    form = CloseProcessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            close_process(actor=actor, process=process, note=form.cleaned_data["note"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The process is closed."))
            return redirect(process)
    unanswered = unanswered_inputs(viewer=actor, process=process, page=_page_number(request))
    return render(
        request,
        "contributions/close.html",
        {"process": process, "form": form, "unanswered": unanswered},
    )
