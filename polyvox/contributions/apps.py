from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "polyvox.contributions"
    label = "contributions"

    def ready(self) -> None:
        from polyvox.contributions import sections

        sections.register()
