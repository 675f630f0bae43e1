from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "polyvox.drafts"
    label = "drafts"
