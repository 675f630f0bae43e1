from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "polyvox.campaigns"
    label = "campaigns"
