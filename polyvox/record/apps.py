from django.apps import AppConfig


class RecordConfig(AppConfig):
    name = "polyvox.record"
    label = "record"
