"""Campaign pages, mounted under /p/<slug>/."""

from django.urls import path

from polyvox.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("submit/", views.submission_create, name="submit"),
    path("campaigns/", views.campaign_list, name="list"),
    path("campaigns/detect/", views.detect, name="detect"),
    path("campaigns/detection/", views.detection_progress, name="detection_status"),
    path("campaigns/<int:campaign_id>/", views.campaign_detail, name="detail"),
    path("campaigns/<int:campaign_id>/confirm/", views.confirm, name="confirm"),
    path("campaigns/<int:campaign_id>/split/", views.split, name="split"),
    path("campaigns/<int:campaign_id>/merge/", views.merge, name="merge"),
    path("campaigns/<int:campaign_id>/answer/", views.answer, name="answer"),
    path("signals/", views.signals_page, name="signals"),
]
