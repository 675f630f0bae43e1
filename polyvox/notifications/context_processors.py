"""The unread count in the header."""

from django.http import HttpRequest

from polyvox.notifications.models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, int]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": Notification.objects.filter(
            recipient=user, read_at__isnull=True
        ).count()
    }
