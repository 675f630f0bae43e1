"""Draft pages, mounted under /p/<process slug>/."""

from django.urls import path

from polyvox.drafts import views

app_name = "drafts"
urlpatterns = [
    path("drafts/new/", views.draft_create, name="create"),
    path("drafts/<slug:draft>/", views.draft_detail, name="detail"),
    path("drafts/<slug:draft>/v<int:number>/", views.version_detail, name="version"),
    path("drafts/<slug:draft>/publish/", views.version_publish, name="publish"),
    path("drafts/<slug:draft>/preview/", views.version_preview, name="preview"),
    path("drafts/<slug:draft>/preview/publish/", views.version_publish_now, name="publish_now"),
    path("drafts/<slug:draft>/preview/schedule/", views.version_schedule, name="schedule"),
    path("drafts/<slug:draft>/translate/", views.version_translate, name="translate"),
    path("drafts/<slug:draft>/diff/", views.choose_diff, name="choose_diff"),
    path("drafts/<slug:draft>/diff/<int:a>/<int:b>/", views.version_diff, name="diff"),
]
