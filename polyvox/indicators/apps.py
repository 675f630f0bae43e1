from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "polyvox.indicators"
    label = "indicators"

    def ready(self) -> None:
        from polyvox.contributions.closing_steps import register_closing_step
        from polyvox.indicators import sections
        from polyvox.indicators.final import freeze_final_indicators

        sections.register()
        register_closing_step("indicators", freeze_final_indicators)
