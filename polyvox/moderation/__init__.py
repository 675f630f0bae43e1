"""Moderation with due process: a published policy, flags, a queue, a ladder of actions, appeals
to a different moderator, tombstones and a public log of counts (never the hidden content)."""
