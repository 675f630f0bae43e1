from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "polyvox.notifications"
    label = "notifications"
