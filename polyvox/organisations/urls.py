"""Pages of organisations, mounted at /organisations/."""

from django.urls import path

from polyvox.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.list_page, name="list"),
    path("register/", views.register, name="register"),
    path("mine/", views.mine, name="mine"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/represent/", views.ask_to_represent, name="represent"),
    path("<slug:slug>/verify/", views.verify, name="verify"),
    path("<slug:slug>/merge/", views.merge, name="merge"),
    path("<slug:slug>/manage/", views.manage, name="manage"),
    path("<slug:slug>/representatives/<int:pk>/decide/", views.decide, name="decide"),
    path("<slug:slug>/representatives/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("<slug:slug>/representatives/<int:pk>/promote/", views.promote, name="promote"),
]
