from django.apps import AppConfig


class JointStatementsConfig(AppConfig):
    name = "polyvox.joint_statements"
    label = "joint_statements"

    def ready(self) -> None:
        from polyvox.joint_statements import sections

        sections.register()
