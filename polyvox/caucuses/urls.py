"""Pages of caucuses, mounted at /p/<slug>/caucuses/."""

from django.urls import path

from polyvox.caucuses import views

app_name = "caucuses"
urlpatterns = [
    path("", views.caucus_list, name="list"),
    path("new/", views.caucus_create, name="create"),
    path("<slug:caucus>/", views.caucus_detail, name="detail"),
    path("<slug:caucus>/join/", views.join, name="join"),
    path("<slug:caucus>/leave/", views.leave, name="leave"),
    path("<slug:caucus>/members/", views.members, name="members"),
    path("<slug:caucus>/members/<int:membership_id>/decide/", views.decide, name="decide"),
    path("<slug:caucus>/members/<int:membership_id>/appoint/", views.appoint, name="appoint"),
    path("<slug:caucus>/members/<int:membership_id>/remove/", views.remove, name="remove"),
    path("<slug:caucus>/threads/new/", views.thread_create, name="thread_create"),
    path("<slug:caucus>/threads/<int:thread_id>/", views.thread, name="thread"),
    path("<slug:caucus>/threads/<int:thread_id>/publish/", views.publish, name="publish"),
    path("<slug:caucus>/draft/", views.working_draft, name="draft"),
    path("<slug:caucus>/draft/edit/", views.working_draft_edit, name="draft_edit"),
]
