"""Admin for caucuses: their public facts only. Members, threads, posts and the working draft are
caucus content, read through the caucus pages by its members, so the admin does not show them."""

from django.contrib import admin
from django.http import HttpRequest

from polyvox.caucuses.models import Caucus


@admin.register(Caucus)
class CaucusAdmin(admin.ModelAdmin[Caucus]):
    list_display = ("name", "process", "stakeholder_group", "created_at")
    list_filter = ("stakeholder_group",)
    search_fields = ("name", "slug")
    fields = readonly_fields = ("process", "name", "slug", "purpose", "stakeholder_group")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
