from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "polyvox.organisations"
    label = "organisations"
