"""Contribution URLs, mounted under /p/<slug>/."""

from django.urls import path

from polyvox.contributions import views

app_name = "contributions"
urlpatterns = [
    path("contributions/", views.contribution_list, name="list"),
    path("contribute/<str:kind>/", views.contribution_create, name="create"),
    path("sections/<int:section_id>/comment/", views.section_comment, name="comment"),
    path("contributions/<str:tracking_number>/", views.contribution_detail, name="detail"),
    path("contributions/<str:tracking_number>/receipt/", views.receipt, name="receipt"),
    path("contributions/<str:tracking_number>/reply/", views.contribution_reply, name="reply"),
    path("contributions/<str:tracking_number>/edit/", views.contribution_edit, name="edit"),
    path("contributions/<str:tracking_number>/answer/", views.answer, name="answer"),
    path("contributions/<str:tracking_number>/hide/", views.hide, name="hide"),
    path("workbench/", views.workbench, name="workbench"),
    path("drafts/<slug:draft>/v<int:number>/feedback/", views.feedback, name="feedback_report"),
    path(
        "drafts/<slug:draft>/v<int:number>/feedback.csv",
        views.feedback_csv,
        name="feedback_report_csv",
    ),
    path(
        "drafts/<slug:draft>/v<int:number>/feedback.json",
        views.feedback_json,
        name="feedback_report_json",
    ),
]
