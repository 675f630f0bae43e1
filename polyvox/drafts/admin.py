"""Admin for drafts. Published versions and sections are read-only: publish through the service."""

from django.contrib import admin
from django.http import HttpRequest

from polyvox.drafts.models import (
    Draft,
    DraftVersion,
    Section,
    TranslatedSection,
    VersionTranslation,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A published version is part of the public record; it is never edited in place."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class VersionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = DraftVersion
    fields = readonly_fields = ("number", "published_at", "published_by", "note")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "slug", "process", "created_at"]
    list_filter = ["process"]
    search_fields = ["title", "slug"]
    readonly_fields = ["process", "slug"]
    inlines = [VersionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # created through create_draft, which checks the secretariat role


class SectionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Section
    fields = readonly_fields = ("order", "anchor", "level", "heading", "text")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(DraftVersion)
class DraftVersionAdmin(ReadOnlyAdmin):
    list_display = ["draft", "number", "published_at", "published_by"]
    list_filter = ["draft__process"]
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(ReadOnlyAdmin):
    list_display = ["anchor", "version", "order", "level", "heading"]
    search_fields = ["anchor", "heading", "text"]
    list_filter = ["version__draft__process"]


class TranslatedSectionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TranslatedSection
    fields = readonly_fields = ("order", "anchor", "level", "heading", "text", "source_number")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(VersionTranslation)
class VersionTranslationAdmin(ReadOnlyAdmin):
    """Language versions are on the record: published through `drafts.translating` only."""

    list_display = ["version", "language", "published_at", "translated_by"]
    list_filter = ["language", "version__draft__process"]
    inlines = [TranslatedSectionInline]
