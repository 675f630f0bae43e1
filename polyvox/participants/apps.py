from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "polyvox.participants"
    label = "participants"
