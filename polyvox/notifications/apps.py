from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "polyvox.notifications"
    label = "notifications"

    def ready(self) -> None:
        from polyvox.notifications.services import notify
        from polyvox.processes.publishing import connect_notifier

        # processes sits below notifications: it tells participants of schedule changes this way.
        connect_notifier(notify)
