"""The participant's notifications."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from polyvox.notifications.models import Notification
from polyvox.notifications.services import mark_all_read
from polyvox.participants.http import signed_in_user


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
