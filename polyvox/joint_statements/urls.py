"""Pages of joint_statements, mounted at /p/<slug>/joint-statements/."""

from django.urls import URLPattern

app_name = "joint_statements"
urlpatterns: list[URLPattern] = []
