"""The local log-in with a second factor (django-two-factor-auth, django-otp)."""

from django.contrib.auth import views as auth_views
from django.urls import path

urlpatterns = [
    path("inloggen/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
]
