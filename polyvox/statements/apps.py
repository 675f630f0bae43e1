from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "polyvox.statements"
    label = "statements"
