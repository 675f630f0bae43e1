"""Admin for joint statements: read-only. Drafting, sign-on, signatures and withdrawals go through
the services, so every change keeps its revision, its history row and its record entry."""

from django.contrib import admin

from polyvox.core.admin import ReadOnlyAdmin
from polyvox.joint_statements.models import JointStatement, JointStatementRevision, Signature


@admin.register(JointStatement)
class JointStatementAdmin(ReadOnlyAdmin[JointStatement]):
    list_display = ("title", "process", "relation", "status", "author_name", "sign_on_deadline")
    list_filter = ("relation", "status")
    search_fields = ("title", "author_name", "organisation__name")
    list_select_related = ("process",)


@admin.register(JointStatementRevision)
class JointStatementRevisionAdmin(ReadOnlyAdmin[JointStatementRevision]):
    list_display = ("statement", "number", "title", "created_at")
    list_select_related = ("statement",)


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin[Signature]):
    list_display = ("statement", "signer_name", "organisation_name", "signed_at", "withdrawn_at")
    list_filter = (("withdrawn_at", admin.EmptyFieldListFilter), "stakeholder_group")
    search_fields = ("signer_name", "organisation_name")
    list_select_related = ("statement",)
