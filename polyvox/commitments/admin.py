"""Admin for commitments: read-only. Commitments, updates, contestations and answers go through
the services, so every change has its record entry and no status moves without an update."""

from django.contrib import admin

from polyvox.commitments.models import Commitment, CommitmentUpdate, Contestation
from polyvox.core.admin import ReadOnlyAdmin


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin[Commitment]):
    list_display = ("title", "process", "owner_name", "organisation", "due_on", "status")
    list_filter = ("status",)
    search_fields = ("title", "owner_name", "organisation__name")
    list_select_related = ("process", "organisation")


@admin.register(CommitmentUpdate)
class CommitmentUpdateAdmin(ReadOnlyAdmin[CommitmentUpdate]):
    list_display = ("commitment", "status", "author_name", "created_at")
    list_filter = ("status",)
    list_select_related = ("commitment",)


@admin.register(Contestation)
class ContestationAdmin(ReadOnlyAdmin[Contestation]):
    list_display = ("update", "author_name", "created_at", "answered_at")
    list_select_related = ("update__commitment",)
