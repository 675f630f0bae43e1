"""moderation/views (stub from the foundation)."""
