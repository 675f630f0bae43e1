"""moderation/forms (stub from the foundation)."""
