from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "polyvox.operations"
    label = "operations"
