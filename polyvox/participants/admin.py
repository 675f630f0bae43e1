"""Admin: accounts, profiles, and statements of interest (read-only history)."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from polyvox.participants.models import Profile, StatementOfInterest, User


class ProfileInline(admin.StackedInline[Profile, User]):
    model = Profile
    can_delete = False


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    inlines = [ProfileInline]
    list_display = ("username", "email", "is_staff", "is_active", "date_joined")


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin[Profile]):
    list_display = ("display_name", "user", "stakeholder_group", "country")
    list_filter = ("stakeholder_group",)
    search_fields = ("display_name", "user__username", "organisation")


@admin.register(StatementOfInterest)
class StatementOfInterestAdmin(admin.ModelAdmin[StatementOfInterest]):
    """History is evidence: it can be read here, never added, changed or deleted."""

    list_display = ("user", "declared_at")
    search_fields = ("user__username",)
    readonly_fields = ("user", "affiliations", "funding", "interests", "declared_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
