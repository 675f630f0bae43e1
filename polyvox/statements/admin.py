"""Admin for statements: read-mostly; writes go through services (moderation page, commands)."""

from django.contrib import admin
from django.http import HttpRequest

from polyvox.statements.models import OpinionMapSnapshot, Statement, StatementSettings


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin[Statement]):
    list_display = ("text", "process", "status", "is_seed", "created_at")
    list_filter = ("status", "is_seed")
    search_fields = ("text",)
    readonly_fields = [f.name for f in Statement._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(OpinionMapSnapshot)
class OpinionMapSnapshotAdmin(admin.ModelAdmin[OpinionMapSnapshot]):
    list_display = ("process", "computed_at", "participants_in_map", "n_votes", "code_version")
    readonly_fields = [f.name for f in OpinionMapSnapshot._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


admin.site.register(StatementSettings)
