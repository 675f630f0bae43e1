from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "polyvox.commitments"
    label = "commitments"

    def ready(self) -> None:
        from polyvox.commitments import sections

        sections.register()
