from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "polyvox.contributions"
    label = "contributions"

    def ready(self) -> None:
        from polyvox.contributions.models import Contribution
        from polyvox.processes.participation import register_participant_source

        register_participant_source(
            "contributors",
            lambda process: Contribution.objects.filter(process=process).values("author_id"),
        )
