from django.urls import path

from polyvox.processes import views

app_name = "processes"
urlpatterns = [
    path("", views.process_list, name="list"),
    path("p/new/", views.process_create, name="create"),
    path("p/<slug:slug>/", views.process_detail, name="detail"),
    path("p/<slug:slug>/phases/new/", views.phase_create, name="phase_create"),
    path("p/<slug:slug>/members/new/", views.member_add, name="member_add"),
    path(
        "p/<slug:slug>/people/<str:username>/interests/",
        views.participant_interests_view,
        name="participant_interests",
    ),
]
