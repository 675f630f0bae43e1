"""Health checks (HealthCheckMiddleware answers them first; the routes name them)."""

from django.urls import path

from polyvox.operations import views

app_name = "operations"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]
