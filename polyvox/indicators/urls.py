"""Mounted at /p/<slug>/indicators/ (the page, the quality report in HTML and PDF)."""

from django.urls import URLPattern

app_name = "indicators"

urlpatterns: list[URLPattern] = []
