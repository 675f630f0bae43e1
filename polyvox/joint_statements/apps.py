from django.apps import AppConfig


class JointStatementsConfig(AppConfig):
    name = "polyvox.joint_statements"
    label = "joint_statements"
