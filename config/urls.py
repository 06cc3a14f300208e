from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.i18n import set_language

from core import hardening


@login_not_required
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    # Browsers and feed readers ask for /favicon.ico whatever the page's <link rel="icon"> says;
    # the static name is resolved per request, as it carries a hash in production.
    return HttpResponseRedirect(static("img/favicon.ico"))


@login_not_required
def health(request: HttpRequest) -> HttpResponse:
    """For the proxy, the container's health check and the benchmark's floor: the process answers and its
    database does, with nothing else."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    response = HttpResponse("ok\n", content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("beheer/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("audit.urls")),
    path("taal/", login_not_required(set_language), name="set_language"),
    path("uitnodiging/", include("municipalities.invitations")),
    path("favicon.ico", favicon),
    path("gezond/", health, name="health"),
    path(".well-known/security.txt", hardening.security_txt, name="security_txt"),
    path(".well-known/change-password", hardening.change_password, name="well_known_change_password"),
    path("csp-rapport/", hardening.csp_report, name="csp_report"),
    path("", include("decisions.urls")),
    path("", include("meetings.urls")),
    path("", include("governance.urls")),
    path("", include("reminders.urls")),
    path("", include("publication.urls")),
    path("", include("search.urls")),
    path("", include("api.urls")),
    path("", include("arrangements.urls")),
    path("", include("adoption.urls")),
    path("", include("covenant.urls")),
]
