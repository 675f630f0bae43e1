from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "polyvox.campaigns"
    label = "campaigns"

    def ready(self) -> None:
        from polyvox.campaigns import sections

        sections.register()
