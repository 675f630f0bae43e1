"""Forms of caucuses: they validate shape; the services decide."""
