"""The participant's notifications and e-mail preferences; following a process; confirming a
visitor's address; unsubscribing in one click."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from polyvox.core.forms import apply_validation_error
from polyvox.notifications.following import (
    confirm_email_follow,
    describe_unsubscribe,
    follow_process,
    request_email_follow,
    unfollow_process,
    unsubscribe,
)
from polyvox.notifications.forms import EmailFollowForm, PreferencesForm
from polyvox.notifications.languages import email_language
from polyvox.notifications.models import Follow, Notification, NotificationKind
from polyvox.notifications.services import mark_all_read, preferences_of, set_preferences
from polyvox.notifications.tokens import read_confirmation_token
from polyvox.participants.http import signed_in_user
from polyvox.processes.selectors import access_process

FOLLOWS_LISTED = 200


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    actor = signed_in_user(request)
    notifications = Notification.objects.filter(recipient=actor)[:100]
    return render(request, "notifications/list.html", {"notifications": notifications})


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    actor = signed_in_user(request)
    mark_all_read(actor=actor)
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    actor = signed_in_user(request)
    form = PreferencesForm(
        request.POST or None, current=preferences_of(actor), language=email_language(actor)
    )
    if request.method == "POST" and form.is_valid():
        modes = {k: v for k, v in form.cleaned_data.items() if k != "language"}
        try:
            set_preferences(actor=actor, modes=modes, language=form.cleaned_data["language"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your e-mail preferences are saved."))
            return redirect("notifications:preferences")
    follows = (
        Follow.objects.filter(user=actor).select_related("process").order_by("process__title")
    )[:FOLLOWS_LISTED]
    return render(request, "notifications/preferences.html", {"form": form, "follows": follows})


@require_POST
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    if not request.user.is_authenticated:
        return redirect("notifications:follow_by_email", slug=process.slug)
    follow_process(actor=signed_in_user(request), process=process)
    messages.success(
        request,
        _("You follow this process: new versions, phase openings and reminders will reach you."),
    )
    return redirect(process.get_absolute_url())


@login_required
@require_POST
def unfollow(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    unfollow_process(actor=signed_in_user(request), process=process)
    messages.success(request, _("You no longer follow this process."))
    if request.POST.get("next") == "preferences":
        return redirect("notifications:preferences")
    return redirect(process.get_absolute_url())


@require_http_methods(["GET", "POST"])
def follow_by_email(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    form = EmailFollowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            request_email_follow(
                process=process, email=form.cleaned_data["email"], mode=form.cleaned_data["mode"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return render(request, "notifications/follow_requested.html", {"process": process})
    return render(request, "notifications/follow_by_email.html", {"process": process, "form": form})


@require_http_methods(["GET", "POST"])
def confirm_follow(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (a mail scanner opening the link confirms nothing); POST confirms."""
    if request.method == "GET":
        valid = read_confirmation_token(token) is not None
        return render(
            request,
            "notifications/confirm_follow.html",
            {"token": token, "valid": valid},
            status=200 if valid else 400,
        )
    try:
        confirmed = confirm_email_follow(token=token)
    except ValidationError:
        return render(
            request,
            "notifications/confirm_follow.html",
            {"token": token, "valid": False},
            status=400,
        )
    return render(request, "notifications/follow_confirmed.html", {"process": confirmed.process})


# RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" with no cookie and no CSRF token;
# the signed token in the URL is the authorisation.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "GET":
            target = describe_unsubscribe(token)
            return render(
                request,
                "notifications/unsubscribe.html",
                {"token": token, "target": target, "kind_label": _kind_label(target.kind)},
            )
        done = unsubscribe(token=token)
    except ValidationError:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    return render(
        request,
        "notifications/unsubscribed.html",
        {"target": done, "kind_label": _kind_label(done.kind)},
    )


def _kind_label(kind: str) -> str:
    return str(NotificationKind(kind).label) if kind in NotificationKind.values else ""
