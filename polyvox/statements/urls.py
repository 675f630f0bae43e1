"""Statement URLs, mounted under /p/<slug>/."""

from django.urls import path

from polyvox.statements import views

app_name = "statements"
urlpatterns = [
    path("statements/", views.statement_list, name="list"),
    path("statements/moderation/", views.moderation, name="moderation"),
    path("statements/moderation/mode/", views.moderation_mode, name="moderation_mode"),
    path("statements/map-settings/", views.map_settings, name="map_settings"),
    path("vote/", views.vote, name="vote"),
    path("opinion-map/", views.opinion_map, name="opinion_map"),
    path("contributions/<str:tracking_number>/promote/", views.promote, name="promote"),
]
