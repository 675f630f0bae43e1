"""Admin for organisations: read-mostly. Verification, merging and representatives change through
the services (the organisation's page and its manage page), so their history is written."""

from django.contrib import admin
from django.http import HttpRequest

from polyvox.organisations.models import Organisation, OrganisationEvent, Representative


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "slug", "stakeholder_group", "country", "verified_at", "merged_into")
    list_filter = (("verified_at", admin.EmptyFieldListFilter), "stakeholder_group")
    search_fields = ("name", "slug")
    readonly_fields = [f.name for f in Organisation._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Representative)
class RepresentativeAdmin(admin.ModelAdmin[Representative]):
    list_display = ("organisation", "user", "role", "status", "created_at", "decided_at")
    list_filter = ("status", "role")
    search_fields = ("organisation__name", "user__username")
    list_select_related = ("organisation", "user")
    readonly_fields = [f.name for f in Representative._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(OrganisationEvent)
class OrganisationEventAdmin(admin.ModelAdmin[OrganisationEvent]):
    list_display = ("organisation", "kind", "actor", "created_at")
    list_filter = ("kind",)
    search_fields = ("organisation__name",)
    list_select_related = ("organisation", "actor")
    readonly_fields = [f.name for f in OrganisationEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
