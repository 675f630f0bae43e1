"""The demo: a deterministic, seeded scenario built by calling the services."""
