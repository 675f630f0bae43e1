"""Account URLs, mounted at /account/."""

from django.urls import path

from polyvox.accounts import views

app_name = "accounts"
urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("data/", views.data, name="data"),
    path("close/", views.close, name="close"),
    path("closed/", views.closed, name="closed"),
]
