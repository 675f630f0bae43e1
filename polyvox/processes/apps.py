from django.apps import AppConfig


class ProcessesConfig(AppConfig):
    name = "polyvox.processes"
    label = "processes"
