from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.i18n import set_language


@login_not_required
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    # Browsers and feed readers ask for /favicon.ico whatever the page's <link rel="icon"> says;
    # the static name is resolved per request, as it carries a hash in production.
    return HttpResponseRedirect(static("img/favicon.ico"))


urlpatterns = [
    path("beheer/", admin.site.urls),
    path("inloggen/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("taal/", login_not_required(set_language), name="set_language"),
    path("uitnodiging/", include("municipalities.invitations")),
    path("favicon.ico", favicon),
    path("", include("decisions.urls")),
    path("", include("meetings.urls")),
    path("", include("governance.urls")),
    path("", include("reminders.urls")),
]
