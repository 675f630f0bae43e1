"""The participant's notifications."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from polyvox.core.http import AuthenticatedHttpRequest
from polyvox.notifications.models import Notification
from polyvox.notifications.services import mark_all_read


@login_required
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(recipient=request.user)[:100]
    return render(request, "notifications/list.html", {"notifications": notifications})


@login_required
@require_POST
def read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    mark_all_read(actor=request.user)
    return redirect("notifications:list")
