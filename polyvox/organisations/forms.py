"""Forms of organisations: they validate shape; the services decide."""
