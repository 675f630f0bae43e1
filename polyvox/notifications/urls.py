from django.urls import path

from polyvox.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.read_all, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("follow/<slug:slug>/", views.follow, name="follow"),
    path("unfollow/<slug:slug>/", views.unfollow, name="unfollow"),
    path("follow/<slug:slug>/email/", views.follow_by_email, name="follow_by_email"),
    path("confirm/<str:token>/", views.confirm_follow, name="confirm_follow"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
