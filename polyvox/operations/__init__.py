"""Running Polyvox in production: serve, worker, health checks, backup and restore."""
