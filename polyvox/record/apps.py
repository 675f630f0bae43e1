from django.apps import AppConfig


class RecordConfig(AppConfig):
    name = "polyvox.record"
    label = "record"

    def ready(self) -> None:
        # processes sits below the record: it publishes its events through this connection.
        from polyvox.processes.publishing import connect_record
        from polyvox.record.services import append_entry

        connect_record(append_entry)
