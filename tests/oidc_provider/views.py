import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oauth2_provider.models import Application

from tests.oidc_provider.models import Profile


def add_user(username: str, password: str, claims: dict) -> None:
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.set_password(password)
    user.email = claims.get("email", "")
    user.save()
    Profile.objects.update_or_create(user=user, defaults={"claims": claims})


def add_application(
    client_id: str, client_secret: str, redirect_uris: list[str], post_logout_redirect_uris: list[str]
) -> None:
    Application.objects.filter(client_id=client_id).delete()
    Application.objects.create(
        name=client_id,
        client_id=client_id,
        client_secret=client_secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        algorithm=Application.RS256_ALGORITHM,
        redirect_uris=" ".join(redirect_uris),
        post_logout_redirect_uris=" ".join(post_logout_redirect_uris),
        skip_authorization=True,
    )


@csrf_exempt
@require_POST
def seed(request: HttpRequest) -> HttpResponse:
    """Users and clients for a test, posted by the test that started this process (with its token)."""
    token = request.headers.get("X-Seed-Token", "")
    if not settings.SEED_TOKEN or not constant_time_compare(token, settings.SEED_TOKEN):
        return HttpResponse(status=403)
    data = json.loads(request.body)
    for user in data.get("users", []):
        add_user(user["username"], user["password"], user.get("claims", {}))
    for application in data.get("applications", []):
        add_application(**application)
    return JsonResponse({"ok": True})
