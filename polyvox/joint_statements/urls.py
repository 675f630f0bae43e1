"""Pages of joint_statements, mounted at /p/<slug>/joint-statements/."""

from django.urls import path

from polyvox.joint_statements import views

app_name = "joint_statements"
urlpatterns = [
    path("", views.statement_list, name="list"),
    path("new/", views.create, name="create"),
    path("from-caucus/<slug:caucus>/", views.publish_from_caucus, name="publish_from_caucus"),
    path("<int:statement_id>/", views.detail, name="detail"),
    path("<int:statement_id>/edit/", views.edit, name="edit"),
    path("<int:statement_id>/open/", views.open_for_sign_on, name="open"),
    path("<int:statement_id>/respond/", views.respond, name="respond"),
    path("<int:statement_id>/signatories/", views.signatory_list, name="signatories"),
    path("<int:statement_id>/sign/", views.sign, name="sign"),
    path(
        "<int:statement_id>/signatures/<int:signature_id>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
]
