from django.apps import AppConfig


class CaucusesConfig(AppConfig):
    name = "polyvox.caucuses"
    label = "caucuses"

    def ready(self) -> None:
        from polyvox.caucuses import sections

        sections.register()
