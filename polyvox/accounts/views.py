"""accounts/views (stub from the foundation)."""
