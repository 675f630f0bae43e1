"""Mounted at /p/<slug>/indicators/ (the page, the targets, the quality report in HTML and PDF)."""

from django.urls import path

from polyvox.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.indicators_page, name="page"),
    path("targets/", views.add_target, name="add_target"),
    path("targets/<int:target_id>/remove/", views.remove_target, name="remove_target"),
    path("report/", views.quality_report, name="report"),
    path("report.pdf", views.quality_report_pdf, name="report_pdf"),
]
