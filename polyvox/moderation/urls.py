"""Moderation URLs, mounted under /moderation/."""

from django.urls import path

from polyvox.moderation import views

app_name = "moderation"
urlpatterns = [
    path("<slug:slug>/policy/", views.policy, name="policy"),
    path("<slug:slug>/policy/edit/", views.edit_policy, name="edit_policy"),
    path("<slug:slug>/policy/mode/", views.set_mode, name="set_mode"),
    path("<slug:slug>/log/", views.log, name="log"),
    path("<slug:slug>/queue/", views.queue, name="queue"),
    path("<slug:slug>/flag/<str:tracking_number>/", views.flag_contribution, name="flag"),
    path(
        "<slug:slug>/flag/statement/<int:statement_id>/",
        views.flag_statement,
        name="flag_statement",
    ),
    path(
        "<slug:slug>/report/<str:tracking_number>/",
        views.report_identity,
        name="report_identity",
    ),
    path(
        "<slug:slug>/contributions/<str:tracking_number>/",
        views.moderate_contribution,
        name="contribution",
    ),
    path("<slug:slug>/statements/<int:statement_id>/", views.moderate_statement, name="statement"),
    path("<slug:slug>/actions/<int:action_id>/appeal/", views.appeal, name="appeal"),
    path("<slug:slug>/actions/<int:action_id>/decide/", views.decide_appeal, name="decide_appeal"),
]
