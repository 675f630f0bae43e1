from django.urls import path

from polyvox.processes.views import pages

app_name = "processes"
urlpatterns = [
    path("", pages.process_list, name="list"),
    path("p/new/", pages.process_create, name="create"),
    path("p/<slug:slug>/", pages.process_detail, name="detail"),
    path("p/<slug:slug>/phases/new/", pages.phase_create, name="phase_create"),
    path("p/<slug:slug>/members/new/", pages.member_add, name="member_add"),
    path(
        "p/<slug:slug>/people/<str:username>/interests/",
        pages.participant_interests_view,
        name="participant_interests",
    ),
]
