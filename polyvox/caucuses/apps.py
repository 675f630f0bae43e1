from django.apps import AppConfig


class CaucusesConfig(AppConfig):
    name = "polyvox.caucuses"
    label = "caucuses"
