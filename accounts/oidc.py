"""Organisation log-in with OpenID Connect (mozilla-django-oidc, one IdentityProvider row per organisation)."""

from django.contrib.auth import views as auth_views
from django.urls import path

urlpatterns = [
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
]
