from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "polyvox.moderation"
    label = "moderation"
