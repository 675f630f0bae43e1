from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "polyvox.drafts"
    label = "drafts"

    def ready(self) -> None:
        from polyvox.drafts import sections

        sections.register()
