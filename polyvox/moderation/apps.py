from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "polyvox.moderation"
    label = "moderation"

    def ready(self) -> None:
        from polyvox.moderation import sections

        sections.register()
