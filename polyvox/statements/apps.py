from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "polyvox.statements"
    label = "statements"

    def ready(self) -> None:
        from polyvox.processes.participation import register_participant_source
        from polyvox.statements.models import Vote

        register_participant_source(
            "voters",
            lambda process: Vote.objects.filter(statement__process=process).values(
                "participant_id"
            ),
        )
