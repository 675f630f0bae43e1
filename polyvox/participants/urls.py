"""Participant URLs, mounted at /accounts/."""

from django.contrib.auth import views as auth_views
from django.urls import path

from polyvox.participants import views

app_name = "participants"
urlpatterns = [
    path("register/", views.register, name="register"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="participants/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("interests/", views.interests, name="interests"),
    path("people/<str:username>/", views.public_profile_view, name="public_profile"),
]
