from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "polyvox.statements"
    label = "statements"

    def ready(self) -> None:
        from polyvox.statements import sections

        sections.register()
