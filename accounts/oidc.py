"""Organisation log-in with OpenID Connect (mozilla-django-oidc, one IdentityProvider row per organisation).

The flow is the authorisation code flow with PKCE (RFC 7636, S256), state and nonce (OpenID Connect Core 1.0,
3.1.2.1). The provider of a flow is chosen by the slug at the start and kept in the session with its state, so
one callback serves every provider. The ID token is checked as OpenID Connect Core 1.0, 3.1.3.7 asks: signature
against the provider's published keys, iss, aud (and azp), exp, iat and nonce. A log-in is linked to the Person
with the e-mail address of the configured claim; offices still decide what that person may do.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
import requests
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import path
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts.models import IdentityProvider
from accounts.second_factor import gave_second_factor, second_factor_required
from audit.models import AuditEvent, record

logger = logging.getLogger(__name__)

BACKEND = "accounts.oidc.OrganisationBackend"
WELL_KNOWN = "/.well-known/openid-configuration"


class ConfigurationError(Exception):
    """The provider's discovery document could not be read or does not fit its configuration."""


class LoginRefused(Exception):
    """A log-in that must not go through; `reason` is the short code in the audit trail."""

    def __init__(self, reason: str, username: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.username = username


def check_address(url: str) -> None:
    """The provider's addresses are https in production (BIO 13.2.1; OpenID Connect Core 1.0, 16.17)."""
    scheme = urlparse(url).scheme
    if scheme == "https" or (scheme == "http" and settings.OIDC_ALLOW_HTTP):
        return
    raise ConfigurationError(_("The address %(url)s does not use https.") % {"url": url})


def discovery_address(provider: IdentityProvider) -> str:
    return provider.discovery_url or provider.issuer.rstrip("/") + WELL_KNOWN


def read_configuration(provider: IdentityProvider) -> dict:
    """Fetch and check the provider's discovery document (OpenID Connect Discovery 1.0, 4)."""
    url = discovery_address(provider)
    check_address(provider.issuer)
    check_address(url)
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT, verify=settings.OIDC_VERIFY_SSL)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ConfigurationError(_("The discovery document at %(url)s could not be read.") % {"url": url}) from exc
    if not isinstance(document, dict):
        raise ConfigurationError(_("The discovery document at %(url)s could not be read.") % {"url": url})
    # Discovery 1.0, 4.3: the issuer in the document must be exactly the configured one.
    if document.get("issuer") != provider.issuer:
        raise ConfigurationError(
            _("The discovery document names the issuer %(found)s, not %(issuer)s.")
            % {"found": document.get("issuer") or "-", "issuer": provider.issuer}
        )
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(document.get(key), str):
            raise ConfigurationError(_("The discovery document has no %(key)s.") % {"key": key})
        check_address(document[key])
    return document


def configuration(provider: IdentityProvider) -> dict:
    """The provider's discovery document, read again when the cached copy is older than OIDC_CONFIGURATION_MAX_AGE."""
    max_age = timedelta(seconds=settings.OIDC_CONFIGURATION_MAX_AGE)
    if (
        provider.configuration
        and provider.configuration_read_at
        and timezone.now() - provider.configuration_read_at < max_age
    ):
        return provider.configuration
    document = read_configuration(provider)
    provider.configuration, provider.configuration_read_at = document, timezone.now()
    # A cache, left out of the history on purpose: update() writes no history row for it.
    IdentityProvider.objects.filter(pk=provider.pk).update(
        configuration=document, configuration_read_at=provider.configuration_read_at
    )
    return document


def allowed_domains(provider: IdentityProvider) -> set[str]:
    return {part.strip().lower().lstrip("@") for part in provider.allowed_domains.split(",") if part.strip()}


class OrganisationBackend(OIDCAuthenticationBackend):
    """Authenticates the code of one flow against the IdentityProvider chosen for it, never by settings alone."""

    def __init__(self, *args, **kwargs) -> None:
        # The library reads the provider's settings here; ours are known only once the flow's provider is.
        self.UserModel = get_user_model()
        self.provider: IdentityProvider | None = None
        self.claims: dict = {}

    def get_settings(self, attr: str, *args):
        provider = self.provider
        if provider is not None:
            per_provider = {
                "OIDC_RP_CLIENT_ID": provider.client_id,
                "OIDC_RP_CLIENT_SECRET": provider.client_secret,
                "OIDC_RP_SIGN_ALGO": provider.sign_algorithm,
                "OIDC_RP_SCOPES": provider.scopes,
                "OIDC_AUTHENTICATION_CALLBACK_URL": "oidc_callback",
                "OIDC_STORE_ID_TOKEN": True,
                "OIDC_STORE_ACCESS_TOKEN": False,
                "OIDC_TOKEN_USE_BASIC_AUTH": False,
            }
            if attr in per_provider:
                return per_provider[attr]
        return import_from_settings(attr, *args)

    def authenticate(self, request: HttpRequest | None, provider: IdentityProvider | None = None, **kwargs):
        # Password log-ins pass through here too (Django asks every backend): only a flow names its provider.
        if request is None or provider is None:
            return None
        self.provider = provider
        try:
            document = configuration(provider)
        except ConfigurationError as exc:
            raise LoginRefused("configuration") from exc
        self.OIDC_OP_TOKEN_ENDPOINT = document["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = document.get("userinfo_endpoint", "")
        self.OIDC_OP_JWKS_ENDPOINT = document["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        self.OIDC_RP_SIGN_ALGO = provider.sign_algorithm
        self.OIDC_RP_IDP_SIGN_KEY = None
        try:
            return super().authenticate(request, nonce=kwargs.get("nonce"), code_verifier=kwargs.get("code_verifier"))
        except (requests.RequestException, ValueError, TypeError, AttributeError) as exc:
            # The token endpoint refused the code (used before, wrong verifier), did not answer, or answered
            # something that is not a token response.
            logger.warning("Organisation log-in via %s: token request failed: %s", provider.slug, exc)
            raise LoginRefused("token_request") from exc

    def get_user(self, user_id):
        # Django's check, which the library's get_user leaves out: a closed account's sessions end at once.
        return ModelBackend.get_user(self, user_id)

    def retrieve_matching_jwk(self, token: str) -> jwt.PyJWK:
        """The provider's key for this token: the one with its kid and algorithm (JWKS read fresh, for rotation)."""
        try:
            response = requests.get(
                self.OIDC_OP_JWKS_ENDPOINT, timeout=settings.OIDC_TIMEOUT, verify=settings.OIDC_VERIFY_SSL
            )
            response.raise_for_status()
            keys = response.json().get("keys", [])
        except (requests.RequestException, ValueError, AttributeError) as exc:
            raise LoginRefused("keys_unavailable") from exc
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as exc:
            raise LoginRefused("malformed_token") from exc
        kid = header.get("kid")
        candidates = [
            key
            for key in keys
            if isinstance(key, dict)
            and (kid is None or key.get("kid") == kid)
            and key.get("alg", header.get("alg")) == header.get("alg")
            and key.get("use", "sig") == "sig"
        ]
        if len(candidates) != 1:
            raise LoginRefused("unknown_key")
        try:
            return jwt.PyJWK(candidates[0])
        except jwt.PyJWKError as exc:
            raise LoginRefused("unknown_key") from exc

    def verify_token(self, token, **kwargs) -> dict:
        """OpenID Connect Core 1.0, 3.1.3.7: signature, iss, aud, azp, exp, iat and (for the ID token) nonce."""
        if not token or not isinstance(token, str):
            raise LoginRefused("no_id_token")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as exc:
            raise LoginRefused("malformed_token") from exc
        # Only the configured algorithm: never "none", never HS256 with the public key as secret (RFC 8725, 3.1).
        if header.get("alg") != self.provider.sign_algorithm:
            raise LoginRefused("algorithm")
        key = self.retrieve_matching_jwk(token)
        try:
            payload = jwt.decode(
                token,
                key,
                algorithms=[self.provider.sign_algorithm],
                audience=self.provider.client_id,
                issuer=self.provider.issuer,
                leeway=settings.OIDC_CLOCK_SKEW,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise LoginRefused("expired_token") from exc
        except jwt.InvalidIssuerError as exc:
            raise LoginRefused("wrong_issuer") from exc
        except jwt.InvalidAudienceError as exc:
            raise LoginRefused("wrong_audience") from exc
        except jwt.MissingRequiredClaimError as exc:
            raise LoginRefused("missing_claim") from exc
        except jwt.InvalidSignatureError as exc:
            raise LoginRefused("bad_signature") from exc
        except jwt.InvalidTokenError as exc:
            raise LoginRefused("invalid_token") from exc
        if "azp" in payload and payload["azp"] != self.provider.client_id:
            raise LoginRefused("wrong_audience")
        # The library calls this for the ID token with the flow's nonce, and for signed user info without one.
        if "nonce" in kwargs:
            nonce = kwargs["nonce"]
            if not nonce or payload.get("nonce") != nonce:
                raise LoginRefused("nonce")
        return payload

    def get_userinfo(self, access_token, id_token, payload) -> dict:
        """The user info, only when the ID token lacks the e-mail claim; its sub must be the ID token's (Core 5.3.2)."""
        if self.provider.claim in payload:
            return payload
        if not self.OIDC_OP_USER_ENDPOINT:
            return payload
        try:
            info = super().get_userinfo(access_token, id_token, payload)
        except (requests.RequestException, ValueError) as exc:
            raise LoginRefused("userinfo") from exc
        if not isinstance(info, dict) or info.get("sub") != payload.get("sub"):
            raise LoginRefused("userinfo")
        return info

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        self.claims = {
            **claims,
            "amr": payload.get("amr", claims.get("amr")),
            "acr": payload.get("acr", claims.get("acr")),
        }
        email = claims.get(self.provider.claim)
        if not isinstance(email, str) or "@" not in email:
            raise LoginRefused("no_email")
        email = email.strip()
        if email.rsplit("@", 1)[1].lower() not in allowed_domains(self.provider):
            raise LoginRefused("domain", email)
        if self.provider.require_verified_email and claims.get("email_verified") is not True:
            raise LoginRefused("email_not_verified", email)
        return self.user_for_person(email)

    def user_for_person(self, email: str):
        from municipalities.models import Person

        people = list(Person.objects.filter(email__iexact=email).select_related("user")[:2])
        if not people:
            raise LoginRefused("no_person", email)
        if len(people) > 1:
            raise LoginRefused("ambiguous_person", email)
        person = people[0]
        if person.user is None:
            person.user = self.create_user_for(person)
            person._change_reason = "organisation log-in"
            person.save(update_fields=["user"])
        if not person.user.is_active:
            raise LoginRefused("inactive", email)
        return person.user

    @transaction.atomic
    def create_user_for(self, person):
        """A log-in for a Person who had none: no password, so only the organisation's log-in opens it."""
        username = base = person.email.lower()[:150]
        number = 1
        while self.UserModel.objects.filter(username=username).exists():
            number += 1
            username = f"{base[:140]}-{number}"
        user = self.UserModel(
            username=username, email=person.email, first_name=person.given_name[:150], last_name=person.surname[:150]
        )
        user.set_unusable_password()
        user.save()
        return user


def refuse(
    request: HttpRequest, reason: str, provider: IdentityProvider | None = None, username: str = ""
) -> HttpResponse:
    """A refused log-in: logged, in the audit trail, and a clear message on the log-in page (never a 500)."""
    slug = provider.slug if provider is not None else ""
    # The library stores the ID token before the person is found; a refused log-in keeps nothing.
    request.session.pop("oidc_id_token", None)
    logger.warning("Organisation log-in refused (%s) via %s for %s", reason, slug or "-", username or "-")
    record(AuditEvent.Kind.LOGIN_REFUSED, request=request, username=username, reason=reason, provider=slug)
    name = provider.name if provider is not None else _("your organisation")
    if reason == "no_person":
        text = _(
            "You logged in at %(name)s, but the regional portal knows no person with the e-mail address %(email)s. "
            "Ask the regional coordinator to add you."
        ) % {"name": name, "email": username}
    elif reason == "domain":
        text = _("The e-mail address %(email)s may not log in through %(name)s.") % {"name": name, "email": username}
    elif reason == "email_not_verified":
        text = _("%(name)s has not confirmed your e-mail address %(email)s, so you cannot log in with it.") % {
            "name": name,
            "email": username,
        }
    elif reason == "no_second_factor":
        text = _(
            "You manage the regional portal, so you log in with two factors. %(name)s did not confirm a second "
            "factor for this log-in. Log in with your user name, password and the code from your authenticator app."
        ) % {"name": name}
    elif reason == "inactive":
        text = _("Your account in the regional portal is closed. Ask the regional coordinator.")
    elif reason in {"configuration", "keys_unavailable", "provider_error"}:
        text = _("The log-in through %(name)s is not available now. Please try again later.") % {"name": name}
    else:
        text = _("The log-in through %(name)s could not be completed. Please start again.") % {"name": name}
    messages.error(request, text)
    return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))


def get_enabled_provider(slug: str) -> IdentityProvider:
    try:
        return IdentityProvider.objects.get(slug=slug, enabled=True)
    except IdentityProvider.DoesNotExist:
        raise Http404 from None


@method_decorator(login_not_required, name="dispatch")
class StartView(OIDCAuthenticationRequestView):
    """Sends the person to their organisation's provider, with a fresh state, nonce and PKCE challenge."""

    def __init__(self, *args, **kwargs) -> None:
        View.__init__(self, *args, **kwargs)
        self.provider: IdentityProvider | None = None

    def get_settings(self, attr: str, *args):
        if self.provider is not None:
            if attr == "OIDC_RP_SCOPES":
                return self.provider.scopes
            if attr == "OIDC_AUTHENTICATION_CALLBACK_URL":
                return "oidc_callback"
            if attr == "OIDC_USE_PKCE":
                return True
            if attr == "OIDC_PKCE_CODE_CHALLENGE_METHOD":
                return "S256"
            if attr == "OIDC_USE_NONCE":
                return True
        return import_from_settings(attr, *args)

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        self.provider = get_enabled_provider(slug)
        try:
            document = configuration(self.provider)
        except ConfigurationError as exc:
            logger.warning("Organisation log-in via %s: %s", slug, exc)
            return refuse(request, "configuration", self.provider)
        self.OIDC_OP_AUTH_ENDPOINT = document["authorization_endpoint"]
        self.OIDC_RP_CLIENT_ID = self.provider.client_id
        response = super().get(request)
        # The provider of this flow travels with its state, so the one callback knows whom to ask.
        state = parse_qs(urlparse(response["Location"]).query)["state"][0]
        request.session["oidc_states"][state]["provider"] = self.provider.pk
        request.session.modified = True
        return response


@method_decorator(login_not_required, name="dispatch")
class CallbackView(OIDCAuthenticationCallbackView):
    """Where every provider sends the person back: checks the state, the code, the ID token and the person."""

    def get(self, request: HttpRequest) -> HttpResponse:
        state = request.GET.get("state", "")
        states = request.session.get("oidc_states")
        entry = states.pop(state, None) if isinstance(states, dict) and state else None
        if entry is None:
            # Unknown or used state: a forged callback, a replay or another browser's flow (RFC 6749, 10.12).
            return refuse(request, "state")
        # One use only: the state is gone from the session before the code is exchanged.
        request.session["oidc_states"] = states
        request.session.save()
        provider = IdentityProvider.objects.filter(pk=entry.get("provider"), enabled=True).first()
        if provider is None:
            return refuse(request, "provider_unknown")
        # RFC 9207, 2.4: where the provider sends its issuer with the response, it must be this provider's (a
        # mix-up attack sends another provider's code to this callback); where it promises to, it must be sent.
        iss = request.GET.get("iss")
        promised = (provider.configuration or {}).get("authorization_response_iss_parameter_supported") is True
        if (iss is not None or promised) and iss != provider.issuer:
            return refuse(request, "wrong_issuer", provider)
        if request.GET.get("error"):
            return refuse(request, "provider_error", provider)
        if not request.GET.get("code"):
            return refuse(request, "no_code", provider)
        backend = OrganisationBackend()
        try:
            user = backend.authenticate(
                request, provider=provider, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier")
            )
        except LoginRefused as exc:
            return refuse(request, exc.reason, provider, exc.username)
        if user is None:
            return refuse(request, "no_code", provider)
        amr = backend.claims.get("amr")
        if second_factor_required(user) and not gave_second_factor(amr):
            # Whoever manages the portal logs in with two factors (BIO 9.4.2); a provider that does not say it
            # asked for one (RFC 8176 amr) is not taken on trust for such an account. See ADR 0010.
            return refuse(request, "no_second_factor", provider, user.get_username())
        if request.user.is_authenticated and request.user != user:
            # Another person's session in this browser ends first (auth.login would flush it anyway).
            kept = {key: request.session.get(key) for key in ("oidc_id_token", "oidc_login_next")}
            auth.logout(request)
            request.session.update(kept)
        # For the session records and the second factor: this log-in relied on the provider's own factors.
        request.session["login_method"] = "oidc"
        request.session["login_provider"] = provider.pk
        request.session["login_amr"] = (" ".join(map(str, amr)) if isinstance(amr, list) else str(amr or ""))[:200]
        request.session["login_acr"] = str(backend.claims.get("acr") or "")[:200]
        user.backend = BACKEND
        self.user = user
        return self.login_success()


def end_session_url(request: HttpRequest) -> str | None:
    """The provider's log-out address for an organisation session (OpenID Connect RP-Initiated Logout 1.0, 2)."""
    if request.session.get("login_method") != "oidc":
        return None
    provider = IdentityProvider.objects.filter(pk=request.session.get("login_provider")).first()
    if provider is None:
        return None
    endpoint = (provider.configuration or {}).get("end_session_endpoint")
    if not isinstance(endpoint, str):
        return None
    params = {
        "client_id": provider.client_id,
        "post_logout_redirect_uri": request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL)),
    }
    if request.session.get("oidc_id_token"):
        params["id_token_hint"] = request.session["oidc_id_token"]
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"


class LogoutView(auth_views.LogoutView):
    """The portal's log-out (POST only); an organisation session is also ended at its provider."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.end_session_url = end_session_url(request)
        return super().post(request, *args, **kwargs)

    def get_success_url(self) -> str:
        return self.end_session_url or super().get_success_url()


urlpatterns = [
    path("inloggen/organisatie/terug/", CallbackView.as_view(), name="oidc_callback"),
    path("inloggen/organisatie/<slug:slug>/", StartView.as_view(), name="oidc_start"),
    path("uitloggen/", LogoutView.as_view(), name="logout"),
]
