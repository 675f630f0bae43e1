"""Admin for commitments: read-only. Commitments, updates, contestations and answers go through
the services, so every change has its record entry and no status moves without an update."""

from typing import Generic, TypeVar

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from polyvox.commitments.models import Commitment, CommitmentUpdate, Contestation

M = TypeVar("M", bound=Model)


class ReadOnlyAdmin(admin.ModelAdmin[M], Generic[M]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


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
