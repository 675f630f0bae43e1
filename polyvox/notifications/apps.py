from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "polyvox.notifications"
    label = "notifications"

    def ready(self) -> None:
        from polyvox.notifications import sections
        from polyvox.notifications.circulation import circulate
        from polyvox.notifications.services import notify
        from polyvox.processes.publishing import connect_circulator, connect_notifier

        # processes sits below notifications: it tells participants of schedule changes this way,
        # and circulates phase openings to every follower and participant through `circulate`.
        connect_notifier(notify)
        connect_circulator(circulate)
        # The "Follow this process" section of the process page.
        sections.register()
