"""Pages of caucuses, mounted at /p/<slug>/caucuses/."""

from django.urls import URLPattern

app_name = "caucuses"
urlpatterns: list[URLPattern] = []
