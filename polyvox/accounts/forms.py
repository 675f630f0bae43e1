"""accounts/forms (stub from the foundation)."""
