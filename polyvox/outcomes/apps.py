from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "polyvox.outcomes"
    label = "outcomes"

    def ready(self) -> None:
        from polyvox.outcomes import sections

        sections.register()
