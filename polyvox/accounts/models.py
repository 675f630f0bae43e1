"""Personal API tokens for server-to-server use of the JSON API."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polyvox.processes.models import Process


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiToken(models.Model):
    """A personal token: `Authorization: Bearer pvx_…` acts as its user within its scope.

    Only the SHA-256 of the whole key is stored. A key is `pvx_` and 32 random bytes
    (`secrets.token_urlsafe(32)`, 256 bits): guessing it is hopeless whatever the hash's speed,
    so it needs no slow password hash (which would cost every API request tens of milliseconds);
    a leaked database does not give the keys back. The key is shown once, when it is made;
    `prefix` (its first 8 characters) is what lists show, so its owner can tell tokens apart."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(
        _("scope"), max_length=8, choices=TokenScope.choices, default=TokenScope.READ
    )
    # None: every process the user may act in; otherwise this process only.
    process = models.ForeignKey(
        Process,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("process"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["user", "created_at"],
                name="api_token_live_by_user",
                condition=Q(revoked_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
