"""Pages of organisations, mounted at /organisations/."""

from django.urls import URLPattern

app_name = "organisations"
urlpatterns: list[URLPattern] = []
