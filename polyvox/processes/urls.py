from django.urls import path

from polyvox.processes.views import members, pages, scheduling, templates, translations

app_name = "processes"
urlpatterns = [
    path("", pages.process_list, name="list"),
    path("p/new/", pages.process_create, name="create"),
    path("p/new/from-template/", templates.process_from_template, name="from_template"),
    path(
        "p/<slug:slug>/save-as-template/",
        templates.process_save_as_template,
        name="save_as_template",
    ),
    path("p/<slug:slug>/", pages.process_detail, name="detail"),
    path("p/<slug:slug>/phases/new/", pages.phase_create, name="phase_create"),
    path("p/<slug:slug>/edit/", scheduling.process_edit, name="edit"),
    path("p/<slug:slug>/phases/<int:phase_id>/edit/", scheduling.phase_edit, name="phase_edit"),
    path(
        "p/<slug:slug>/phases/<int:phase_id>/close/",
        scheduling.phase_close_early,
        name="phase_close_early",
    ),
    path(
        "p/<slug:slug>/phases/<int:phase_id>/remove/", scheduling.phase_remove, name="phase_remove"
    ),
    path("p/<slug:slug>/members/", members.members, name="members"),
    path("p/<slug:slug>/members/remove/", members.member_remove, name="member_remove"),
    path("invitations/<str:token>/", members.invitation, name="invitation"),
    path("roles/", members.roles, name="roles"),
    path("p/<slug:slug>/translations/", translations.translations, name="translations"),
    path(
        "p/<slug:slug>/translations/<str:language>/",
        translations.translation_edit,
        name="translation_edit",
    ),
    path(
        "p/<slug:slug>/translations/<str:language>/withdraw/",
        translations.translation_withdraw,
        name="translation_withdraw",
    ),
    path(
        "p/<slug:slug>/people/<str:username>/interests/",
        pages.participant_interests_view,
        name="participant_interests",
    ),
]
