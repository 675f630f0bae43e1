from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "polyvox.indicators"
    label = "indicators"
