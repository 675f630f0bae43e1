"""Admin for outcomes: their public facts, read-only. Recommendations, designations, objections,
minority views and decisions change only through `outcomes.services` (which check permissions
and write the record), so the admin adds, edits and deletes nothing."""

from django.contrib import admin

from polyvox.core.admin import ReadOnlyAdmin
from polyvox.outcomes.models import (
    Decision,
    Designation,
    MinorityView,
    Objection,
    OutcomeSettings,
    Recommendation,
)


@admin.register(OutcomeSettings)
class OutcomeSettingsAdmin(ReadOnlyAdmin[OutcomeSettings]):
    list_display = ("process", "rule_set", "objection_days")
    list_filter = ("rule_set",)
    fields = readonly_fields = ("process", "rule_set", "chambers", "objection_days")


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin[Recommendation]):
    list_display = ("number", "title", "process", "created_at")
    list_filter = ("process",)
    search_fields = ("title",)
    fields = readonly_fields = ("process", "number", "title", "text", "created_at", "updated_at")


@admin.register(Designation)
class DesignationAdmin(ReadOnlyAdmin[Designation]):
    list_display = ("recommendation", "stage", "level", "designated_at", "objections_close_at")
    list_filter = ("stage", "level")
    fields = readonly_fields = (
        "recommendation",
        "stage",
        "level",
        "rationale",
        "objections_close_at",
        "proposal",
        "designated_at",
    )


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin[Objection]):
    list_display = ("author_name", "organisation", "designation", "created_at", "withdrawn_at")
    fields = readonly_fields = (
        "designation",
        "author_name",
        "organisation",
        "reason",
        "created_at",
        "withdrawn_at",
    )


@admin.register(MinorityView)
class MinorityViewAdmin(ReadOnlyAdmin[MinorityView]):
    list_display = ("author_name", "organisation", "designation")
    fields = readonly_fields = ("designation", "author_name", "organisation", "text")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin[Decision]):
    list_display = ("recommendation", "rule_set", "passed", "declared_at")
    list_filter = ("rule_set", "passed")
    fields = readonly_fields = ("recommendation", "rule_set", "passed", "reason", "declared_at")
