"""Admin for contributions: read-mostly; writes belong to the services (hide, answer)."""

from django.contrib import admin

from polyvox.contributions.models import (
    Contribution,
    ContributionRevision,
    Disposition,
    DispositionRevision,
)


class ContributionRevisionInline(admin.TabularInline[ContributionRevision, Contribution]):
    model = ContributionRevision
    extra = 0
    can_delete = False
    readonly_fields = ("number", "title", "body", "created_at")


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin[Contribution]):
    list_display = (
        "tracking_number",
        "process",
        "kind",
        "author_name",
        "stakeholder_group",
        "is_late",
        "hidden_at",
    )
    list_filter = ("kind", "is_late", "stakeholder_group", "process")
    search_fields = ("tracking_number", "author_name", "title", "body")
    readonly_fields = (
        "process", "kind", "draft_version", "section", "parent", "author", "author_name",
        "stakeholder_group", "country", "organisation", "on_behalf_of_organisation",
        "tracking_number", "is_late", "hidden_at", "hidden_reason", "created_at", "updated_at",
    )  # fmt: skip
    inlines = [ContributionRevisionInline]

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False  # nothing submitted is ever hard-deleted


class DispositionRevisionInline(admin.TabularInline[DispositionRevision, Disposition]):
    model = DispositionRevision
    extra = 0
    can_delete = False
    readonly_fields = ("outcome", "reason", "decided_at")


@admin.register(Disposition)
class DispositionAdmin(admin.ModelAdmin[Disposition]):
    list_display = ("contribution", "outcome", "decided_by", "updated_at")
    list_filter = ("outcome",)
    readonly_fields = ("contribution", "decided_by", "created_at", "updated_at")
    inlines = [DispositionRevisionInline]

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
