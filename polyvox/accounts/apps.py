from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "polyvox.accounts"
    label = "accounts"

    def ready(self) -> None:
        from polyvox.accounts.sections import register_sections

        register_sections()
