from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "polyvox.accounts"
    label = "accounts"
