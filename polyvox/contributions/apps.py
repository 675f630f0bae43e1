from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "polyvox.contributions"
    label = "contributions"
