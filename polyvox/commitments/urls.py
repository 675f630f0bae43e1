"""Pages of commitments, mounted at /p/<slug>/commitments/."""

from django.urls import path

from polyvox.commitments import views

app_name = "commitments"
urlpatterns = [
    path("", views.commitment_list, name="list"),
    path("feed.json", views.feed, name="feed"),
    path("new/", views.create, name="create"),
    path("<int:commitment_id>/", views.detail, name="detail"),
    path("<int:commitment_id>/update/", views.update, name="update"),
    path("<int:commitment_id>/updates/<int:update_id>/contest/", views.contest, name="contest"),
    path(
        "<int:commitment_id>/contestations/<int:contestation_id>/answer/",
        views.answer,
        name="answer",
    ),
]
