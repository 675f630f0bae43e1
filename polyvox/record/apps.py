from django.apps import AppConfig


class RecordConfig(AppConfig):
    name = "polyvox.record"
    label = "record"

    def ready(self) -> None:
        from polyvox.processes.publishing import connect_record
        from polyvox.record import sections
        from polyvox.record.services import append_entry

        # processes sits below the record: it publishes its events through this connection.
        connect_record(append_entry)
        # ...and shows the record's link on its page through the section the record registers.
        sections.register()
