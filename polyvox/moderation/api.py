"""moderation/api (stub from the foundation)."""
