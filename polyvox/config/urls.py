"""Mounts each app's URLs, the admin, the JSON API and the health checks.

Uploads have no public URL (no MEDIA_URL route): `contributions:attachment` checks access first.
"""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from polyvox.config.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("polyvox.operations.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("polyvox.participants.urls")),
    path("account/", include("polyvox.accounts.urls")),
    path("moderation/", include("polyvox.moderation.urls")),
    path("notifications/", include("polyvox.notifications.urls")),
    path("organisations/", include("polyvox.organisations.urls")),
    path("", include("polyvox.processes.urls")),
    path("p/<slug:slug>/", include("polyvox.drafts.urls")),
    path("p/<slug:slug>/", include("polyvox.contributions.urls")),
    path("p/<slug:slug>/", include("polyvox.record.urls")),
    path("p/<slug:slug>/", include("polyvox.statements.urls")),
    path("p/<slug:slug>/", include("polyvox.campaigns.urls")),
    path("p/<slug:slug>/caucuses/", include("polyvox.caucuses.urls")),
    path("p/<slug:slug>/joint-statements/", include("polyvox.joint_statements.urls")),
    path("p/<slug:slug>/", include("polyvox.outcomes.urls")),
    path("p/<slug:slug>/commitments/", include("polyvox.commitments.urls")),
    path("p/<slug:slug>/indicators/", include("polyvox.indicators.urls")),
]

# A database that cannot be reached outside a view still answers 503 (polyvox.operations).
handler500 = "polyvox.operations.views.server_error"
