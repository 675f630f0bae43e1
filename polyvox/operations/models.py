"""Rows operations keeps: the counters of the rate limits (polyvox.operations.ratelimit)."""

from django.db import models


class RateLimitCounter(models.Model):
    """Requests counted in one fixed window of one rule for one account or network address.

    `key` is a keyed hash (HMAC with SECRET_KEY) of the rule, the window and who is counted, so
    the table holds no network address and no account id; `expires_at` (indexed) lets old
    windows be pruned with one cheap DELETE."""

    key = models.CharField(max_length=64, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key[:12]}… {self.count} until {self.expires_at:%Y-%m-%d %H:%M:%S}"
