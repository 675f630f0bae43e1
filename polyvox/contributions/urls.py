"""Contribution URLs, mounted under /p/<slug>/."""

from django.urls import path

from polyvox.contributions.views import attachments, closing, feedback, inputs, public, workbench

app_name = "contributions"
urlpatterns = [
    path("contributions/", public.contribution_list, name="list"),
    path("contributions.csv", public.contributions_csv, name="list_csv"),
    path("contributions.json", public.contributions_json, name="list_json"),
    path("contribute/<str:kind>/", inputs.contribution_create, name="create"),
    path("sections/<int:section_id>/comment/", inputs.section_comment, name="comment"),
    path("contributions/<str:tracking_number>/", inputs.contribution_detail, name="detail"),
    path("contributions/<str:tracking_number>/receipt/", inputs.receipt, name="receipt"),
    path("c/<str:tracking_number>/attachment", attachments.attachment, name="attachment"),
    path("contributions/<str:tracking_number>/reply/", inputs.contribution_reply, name="reply"),
    path("contributions/<str:tracking_number>/edit/", inputs.contribution_edit, name="edit"),
    path("contributions/<str:tracking_number>/answer/", inputs.answer, name="answer"),
    path("contributions/<str:tracking_number>/hide/", inputs.hide, name="hide"),
    path("workbench/", workbench.workbench, name="workbench"),
    path("close/", closing.close, name="close"),
    path("workbench/bulk/", workbench.workbench_bulk, name="workbench_bulk"),
    path("workbench/review/", workbench.review_list, name="workbench_review"),
    path("workbench/review/<int:proposal_id>/", workbench.review, name="workbench_review_decide"),
    path(
        "contributions/<str:tracking_number>/notes/", workbench.internal_note, name="internal_note"
    ),
    path("drafts/<slug:draft>/v<int:number>/feedback/", feedback.feedback, name="feedback_report"),
    path(
        "drafts/<slug:draft>/v<int:number>/feedback.csv",
        feedback.feedback_csv,
        name="feedback_report_csv",
    ),
    path(
        "drafts/<slug:draft>/v<int:number>/feedback.json",
        feedback.feedback_json,
        name="feedback_report_json",
    ),
]
