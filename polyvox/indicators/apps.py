from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "polyvox.indicators"
    label = "indicators"

    def ready(self) -> None:
        from polyvox.indicators import sections

        sections.register()
