"""Organisation log-in against a real OpenID Connect provider (django-oauth-toolkit in its own process): discovery,
the code flow with PKCE, the ID token's signature, issuer, expiry and nonce, state, linking to the Person, the
refusals (each logged, in the audit trail, with a clear message and never a 500), log-out at the provider, and the
identity provider's page in the management site."""

from __future__ import annotations

import base64
import json
import secrets
from urllib.parse import parse_qs, urlencode, urlparse, urlunparse

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from accounts.models import IdentityProvider
from accounts.oidc import LoginRefused, OrganisationBackend
from audit.models import AuditEvent
from municipalities.models import Office
from tests.factories import OfficeFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

DOMAIN = "haarlem.example"


def nl(msgid: str, **values) -> str:
    """A message as the person reads it: in Dutch, as on the page (escaped)."""
    with translation.override("nl"):
        return escape(gettext(msgid) % values)


def make_provider(test_provider, slug: str = "haarlem", **fields) -> IdentityProvider:
    """An IdentityProvider row for the running provider, with a client registered there for the test client."""
    client_id = f"portal-{slug}-{secrets.token_hex(4)}"
    secret = secrets.token_urlsafe(32)
    test_provider.add_client(client_id, secret)
    defaults = {
        "name": "Gemeente Haarlem",
        "enabled": True,
        "issuer": test_provider.issuer,
        "client_id": client_id,
        "client_secret": secret,
        "allowed_domains": DOMAIN,
    }
    return IdentityProvider.objects.create(slug=slug, **{**defaults, **fields})


def secretary_person(email: str = f"anna.smits@{DOMAIN}", **fields):
    person = PersonFactory(email=email, given_name="Anna", surname="Smits", **fields)
    OfficeFactory(person=person, role=Office.Role.MUNICIPAL_SECRETARY)
    return person


def start(client: Client, slug: str = "haarlem", **params) -> str:
    url = reverse("oidc_start", args=[slug]) + (f"?{urlencode(params)}" if params else "")
    response = client.get(url)
    assert response.status_code == 302, response.content[:300]
    return response["Location"]


def come_back(client: Client, callback_url: str):
    parsed = urlparse(callback_url)
    return client.get(f"{parsed.path}?{parsed.query}")


def with_param(url: str, **changes) -> str:
    parsed = urlparse(url)
    query = {key: values[0] for key, values in parse_qs(parsed.query).items()}
    return urlunparse(parsed._replace(query=urlencode({**query, **changes})))


def assert_refused(client: Client, response, reason: str, message: str) -> None:
    """Not logged in, sent to the log-in page with a clear message, one audit event with the reason; no 500."""
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert message in page.content.decode()
    assert "_auth_user_id" not in client.session
    assert "oidc_id_token" not in client.session
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN_REFUSED)
    assert event.detail["reason"] == reason
    assert client.get(reverse("home")).status_code == 302  # the start page still asks for a log-in


def log_in(client, provider_browser, oidc_provider, email: str, **claims):
    username = oidc_provider.add_user(email, **claims)
    authorize = start(client)
    return come_back(client, provider_browser.authorize(authorize, username))


# The flow that succeeds.


def test_a_secretary_logs_in_through_her_organisation_and_lands_on_her_work(client, oidc_provider, provider_browser):
    provider = make_provider(oidc_provider)
    person = secretary_person()
    username = oidc_provider.add_user(f"Anna.Smits@{DOMAIN.upper()}")  # e-mail compared case-insensitively

    authorize = start(client)
    query = parse_qs(urlparse(authorize).query)
    assert authorize.startswith(oidc_provider.discovery()["authorization_endpoint"])  # endpoints from discovery
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0]
    assert query["redirect_uri"] == ["http://testserver/inloggen/organisatie/terug/"]
    assert "code_verifier" not in authorize  # the verifier stays in the portal's session

    response = come_back(client, provider_browser.authorize(authorize, username))

    assert response.status_code == 302 and response["Location"] == reverse("home")
    person.refresh_from_db()
    assert person.user is not None and not person.user.has_usable_password()
    assert client.session["_auth_user_id"] == str(person.user.pk)
    assert client.session["login_method"] == "oidc"
    assert client.session["login_provider"] == provider.pk
    assert client.session["login_amr"] == "pwd otp"
    assert client.session["login_acr"] == "urn:test:mfa"
    assert client.session["oidc_id_token"].count(".") == 2
    assert nl("Welcome, %(name)s", name="Anna") in client.get(reverse("home")).content.decode()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_REFUSED).exists()
    provider.refresh_from_db()
    assert provider.configuration["issuer"] == oidc_provider.issuer and provider.configuration_read_at


def test_an_existing_account_of_the_person_is_used_and_next_is_kept_on_this_site(
    client, oidc_provider, provider_browser
):
    make_provider(oidc_provider)
    person = secretary_person(user=UserFactory(username="asmits"))
    username = oidc_provider.add_user(person.email, amr="pwd", acr=None)

    authorize = start(client, next="/meldingen/")
    response = come_back(client, provider_browser.authorize(authorize, username))
    assert response["Location"] == "/meldingen/"
    assert client.session["_auth_user_id"] == str(person.user.pk)
    assert client.session["login_amr"] == "pwd" and client.session["login_acr"] == ""

    other = Client()
    authorize = start(other, next="https://elders.example/")
    response = come_back(other, provider_browser.authorize(authorize, username))
    assert response["Location"] == reverse("home")  # never off the site


def test_log_out_ends_the_session_at_the_provider_too(client, oidc_provider, provider_browser):
    make_provider(oidc_provider)
    secretary_person()
    log_in(client, provider_browser, oidc_provider, f"anna.smits@{DOMAIN}")
    id_token = client.session["oidc_id_token"]

    assert client.get(reverse("logout")).status_code == 405  # POST only, as Django's own log-out
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    end_session = oidc_provider.discovery()["end_session_endpoint"]
    assert response["Location"].startswith(end_session)
    query = parse_qs(urlparse(response["Location"]).query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/inloggen/"]
    assert "_auth_user_id" not in client.session
    back = provider_browser.follow(response["Location"])
    assert back.status_code == 302 and back.headers["Location"] == "http://testserver/inloggen/"
    assert not provider_browser.is_logged_in(start(client))


def test_a_local_session_logs_out_locally(client_for, secretary, oidc_provider):
    make_provider(oidc_provider)
    client = client_for(secretary)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


# Refusals: who the portal does not know or may not let in.


def test_an_e_mail_address_without_a_person_is_refused(client, oidc_provider, provider_browser):
    make_provider(oidc_provider)
    email = f"onbekend@{DOMAIN}"
    response = log_in(client, provider_browser, oidc_provider, email)
    assert_refused(
        client,
        response,
        "no_person",
        nl(
            "You logged in at %(name)s, but the regional portal knows no person with the e-mail address %(email)s. "
            "Ask the regional coordinator to add you.",
            name="Gemeente Haarlem",
            email=email,
        ),
    )
    assert AuditEvent.objects.get().username == email
    assert not IdentityProvider.objects.filter(name=email).exists()


def test_a_domain_not_allowed_for_the_provider_is_refused_even_when_the_person_exists(
    client, oidc_provider, provider_browser
):
    make_provider(oidc_provider)
    email = "anna.smits@zandvoort.example"
    secretary_person(email=email)
    response = log_in(client, provider_browser, oidc_provider, email)
    assert_refused(
        client,
        response,
        "domain",
        nl("The e-mail address %(email)s may not log in through %(name)s.", email=email, name="Gemeente Haarlem"),
    )


def test_an_e_mail_address_the_provider_has_not_verified_is_refused(client, oidc_provider, provider_browser):
    make_provider(oidc_provider)
    person = secretary_person()
    response = log_in(client, provider_browser, oidc_provider, person.email, email_verified=False)
    assert_refused(
        client,
        response,
        "email_not_verified",
        nl(
            "%(name)s has not confirmed your e-mail address %(email)s, so you cannot log in with it.",
            name="Gemeente Haarlem",
            email=person.email,
        ),
    )
    person.refresh_from_db()
    assert person.user is None


def test_a_closed_account_is_refused(client, oidc_provider, provider_browser):
    make_provider(oidc_provider)
    person = secretary_person(user=UserFactory(is_active=False))
    response = log_in(client, provider_browser, oidc_provider, person.email)
    assert_refused(
        client, response, "inactive", nl("Your account in the regional portal is closed. Ask the regional coordinator.")
    )


# Refusals: a flow that was tampered with.

BROKEN = "The log-in through %(name)s could not be completed. Please start again."


def test_a_wrong_state_is_refused(client, oidc_provider, provider_browser):
    make_provider(oidc_provider)
    person = secretary_person()
    username = oidc_provider.add_user(person.email)
    callback = provider_browser.authorize(start(client), username)
    response = come_back(client, with_param(callback, state="vervalst"))
    assert_refused(client, response, "state", nl(BROKEN, name=gettext("your organisation")))


def test_a_callback_without_any_flow_is_refused(client):
    response = client.get(reverse("oidc_callback"))
    assert_refused(client, response, "state", nl(BROKEN, name=gettext("your organisation")))


def test_a_replayed_authorisation_code_is_refused(client, oidc_provider, provider_browser):
    make_provider(oidc_provider)
    person = secretary_person()
    username = oidc_provider.add_user(person.email)
    callback = provider_browser.authorize(start(client), username)
    assert come_back(client, callback)["Location"] == reverse("home")

    # The same callback again: its state was used up.
    attacker = Client()
    response = come_back(attacker, callback)
    assert_refused(attacker, response, "state", nl(BROKEN, name=gettext("your organisation")))

    # The old code under a fresh state of another browser: the provider refuses the code (used, other verifier).
    AuditEvent.objects.all().delete()
    fresh_state = parse_qs(urlparse(start(attacker)).query)["state"][0]
    response = come_back(attacker, with_param(callback, state=fresh_state))
    assert_refused(attacker, response, "token_request", nl(BROKEN, name="Gemeente Haarlem"))


def test_a_tampered_nonce_is_refused(client, oidc_provider, provider_browser):
    make_provider(oidc_provider)
    person = secretary_person()
    username = oidc_provider.add_user(person.email)
    # Someone changes the nonce on the way to the provider: the ID token then carries another nonce.
    authorize = with_param(start(client), nonce="een-andere-nonce")
    response = come_back(client, provider_browser.authorize(authorize, username))
    assert_refused(client, response, "nonce", nl(BROKEN, name="Gemeente Haarlem"))


def test_an_expired_id_token_is_refused(client, oidc_provider, provider_browser):
    make_provider(oidc_provider)
    person = secretary_person()
    response = log_in(client, provider_browser, oidc_provider, person.email, _id_token_lifetime=-600)
    assert_refused(client, response, "expired_token", nl(BROKEN, name="Gemeente Haarlem"))


def test_an_id_token_from_another_issuer_is_refused(client, oidc_provider, impostor_provider, provider_browser):
    # A provider whose discovery is its own, but whose tokens name the organisation's issuer (a mix-up).
    make_provider(impostor_provider, slug="haarlem", issuer=impostor_provider.issuer)
    person = secretary_person()
    response = log_in(client, provider_browser, impostor_provider, person.email)
    assert_refused(client, response, "wrong_issuer", nl(BROKEN, name="Gemeente Haarlem"))


def test_an_id_token_signed_with_another_key_is_refused(client, oidc_provider, impostor_provider, provider_browser):
    # The code and the token come from the impostor (as a man in the middle would send them); the keys and the
    # issuer are the organisation's own. The impostor's token names the right issuer but is not signed by it.
    provider = make_provider(oidc_provider)
    impostor_provider.add_client(provider.client_id, provider.client_secret)
    document = oidc_provider.discovery()
    forged = impostor_provider.discovery()
    document.update(authorization_endpoint=forged["authorization_endpoint"], token_endpoint=forged["token_endpoint"])
    provider.configuration, provider.configuration_read_at = document, timezone.now()
    provider.save()
    person = secretary_person()
    response = log_in(client, provider_browser, impostor_provider, person.email)
    assert_refused(client, response, "unknown_key", nl(BROKEN, name="Gemeente Haarlem"))


def test_an_id_token_whose_claims_were_changed_fails_its_signature(client, oidc_provider, provider_browser):
    provider = make_provider(oidc_provider)
    person = secretary_person()
    log_in(client, provider_browser, oidc_provider, person.email)
    header, payload, signature = client.session["oidc_id_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["email"] = f"burgemeester@{DOMAIN}"
    tampered = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()

    provider.refresh_from_db()
    backend = OrganisationBackend()
    # A flow sets the backend up; here by hand, with the provider's real keys.
    backend.provider = provider
    backend.OIDC_OP_JWKS_ENDPOINT = provider.configuration["jwks_uri"]
    assert backend.verify_token(f"{header}.{payload}.{signature}", nonce=claims["nonce"])["email"] == person.email
    with pytest.raises(LoginRefused) as refused:
        backend.verify_token(f"{header}.{tampered}.{signature}", nonce=claims["nonce"])
    assert refused.value.reason == "bad_signature"
    unsigned = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    with pytest.raises(LoginRefused) as refused:
        backend.verify_token(f"{unsigned}.{tampered}.", nonce=claims["nonce"])
    assert refused.value.reason == "algorithm"


def test_an_error_from_the_provider_is_refused(client, oidc_provider):
    make_provider(oidc_provider)
    state = parse_qs(urlparse(start(client)).query)["state"][0]
    response = client.get(reverse("oidc_callback"), {"state": state, "error": "access_denied"})
    assert_refused(
        client,
        response,
        "provider_error",
        nl("The log-in through %(name)s is not available now. Please try again later.", name="Gemeente Haarlem"),
    )


def test_a_response_that_names_another_issuer_is_refused(client, oidc_provider, provider_browser):
    # RFC 9207: the authorisation response of a mix-up attack names the provider that really answered.
    provider = make_provider(oidc_provider)
    person = secretary_person()
    username = oidc_provider.add_user(person.email)
    callback = provider_browser.authorize(start(client), username)
    response = come_back(client, with_param(callback, iss="https://elders.example"))
    assert_refused(client, response, "wrong_issuer", nl(BROKEN, name="Gemeente Haarlem"))

    # A provider that promises the parameter (its discovery says so) must send it.
    provider.refresh_from_db()  # with the discovery document the first flow read
    provider.configuration = {**provider.configuration, "authorization_response_iss_parameter_supported": True}
    provider.save()
    AuditEvent.objects.all().delete()
    callback = provider_browser.authorize(start(client), username)
    parsed = urlparse(callback)
    query = {key: values[0] for key, values in parse_qs(parsed.query).items() if key != "iss"}
    response = come_back(client, urlunparse(parsed._replace(query=urlencode(query))))
    assert_refused(client, response, "wrong_issuer", nl(BROKEN, name="Gemeente Haarlem"))

    # With its own issuer the same flow goes through.
    callback = provider_browser.authorize(start(client), username)
    response = come_back(client, with_param(callback, iss=oidc_provider.issuer))
    assert response["Location"] == reverse("home")
    person.refresh_from_db()
    assert client.session["_auth_user_id"] == str(person.user.pk)


# Whoever manages the portal: the provider must say it asked for a second factor (ADR 0010).

NO_SECOND_FACTOR = (
    "You manage the regional portal, so you log in with two factors. %(name)s did not confirm a second "
    "factor for this log-in. Log in with your user name, password and the code from your authenticator app."
)


def coordinator_person(email: str = f"piet.jansen@{DOMAIN}"):
    person = PersonFactory(email=email, given_name="Piet", surname="Jansen")
    OfficeFactory(person=person, coordinator=True)
    return person


def test_the_coordinator_is_refused_when_the_provider_names_no_second_factor(client, oidc_provider, provider_browser):
    make_provider(oidc_provider)
    person = coordinator_person()
    response = log_in(client, provider_browser, oidc_provider, person.email, amr=["pwd"])
    assert_refused(client, response, "no_second_factor", nl(NO_SECOND_FACTOR, name="Gemeente Haarlem"))

    # No amr at all is no second factor either.
    AuditEvent.objects.all().delete()
    response = log_in(client, provider_browser, oidc_provider, person.email, amr=None)
    assert_refused(client, response, "no_second_factor", nl(NO_SECOND_FACTOR, name="Gemeente Haarlem"))


def test_the_coordinator_gets_in_when_the_provider_asked_for_a_second_factor(client, oidc_provider, provider_browser):
    make_provider(oidc_provider)
    person = coordinator_person()
    response = log_in(client, provider_browser, oidc_provider, person.email, amr=["pwd", "mfa"])
    assert response["Location"] == reverse("home")
    assert client.session["login_amr"] == "pwd mfa"
    # The management site opens without the portal's own code: the provider's second factor counts.
    assert client.get("/beheer/").status_code == 200


def test_which_amr_values_name_a_second_factor():
    from accounts.second_factor import gave_second_factor

    assert gave_second_factor(["pwd", "mfa"]) and gave_second_factor(["hwk"]) and gave_second_factor("pwd otp")
    assert not gave_second_factor(["pwd"]) and not gave_second_factor(["pwd", "swk", "kba"])
    assert not gave_second_factor(None) and not gave_second_factor(["MFA-achtig"]) and not gave_second_factor(7)


# The provider's configuration.


def test_an_http_issuer_is_refused_in_production(client, oidc_provider, settings):
    settings.OIDC_ALLOW_HTTP = False
    make_provider(oidc_provider)
    response = client.get(reverse("oidc_start", args=["haarlem"]))
    assert_refused(
        client,
        response,
        "configuration",
        nl("The log-in through %(name)s is not available now. Please try again later.", name="Gemeente Haarlem"),
    )


def test_a_discovery_document_of_another_issuer_is_refused(client, oidc_provider):
    make_provider(
        oidc_provider,
        issuer="http://127.0.0.1:1/o",
        discovery_url=f"{oidc_provider.issuer}/.well-known/openid-configuration",
    )
    response = client.get(reverse("oidc_start", args=["haarlem"]))
    assert response["Location"] == reverse("login")
    assert AuditEvent.objects.get().detail == {"reason": "configuration", "provider": "haarlem"}


def test_an_unknown_or_disabled_provider_is_not_found(client, oidc_provider):
    make_provider(oidc_provider, slug="zandvoort", enabled=False)
    assert client.get(reverse("oidc_start", args=["zandvoort"])).status_code == 404
    assert client.get(reverse("oidc_start", args=["bestaat-niet"])).status_code == 404


def test_the_log_in_page_offers_each_enabled_provider(oidc_provider):
    make_provider(oidc_provider, name="Gemeente Haarlem")
    make_provider(oidc_provider, slug="zandvoort", name="Gemeente Zandvoort", enabled=False)
    with translation.override("nl"):
        html = render_to_string("accounts/_identity_providers.html", {"next": "/meldingen/"})
    assert nl("Log in with %(name)s", name="Gemeente Haarlem") in html
    assert 'href="/inloggen/organisatie/haarlem/?next=/meldingen/"' in html
    assert "Zandvoort" not in html


def test_no_providers_no_section():
    assert render_to_string("accounts/_identity_providers.html", {}).strip() == ""


# The management site.


def admin_data(test_provider, **changes) -> dict:
    data = {
        "name": "Gemeente Haarlem",
        "slug": "haarlem",
        "municipality": "",
        "enabled": "on",
        "issuer": test_provider.issuer,
        "discovery_url": "",
        "check_configuration": "on",
        "client_id": "portal",
        "client_secret": "het-geheim-van-de-client",
        "scopes": "openid email",
        "claim": "email",
        "allowed_domains": "Haarlem.example, @haarlem.nl",
        "require_verified_email": "on",
        "sign_algorithm": "RS256",
    }
    return {**data, **changes}


@pytest.fixture
def administrator(client_for):
    # Identity providers are the administrators' (municipalities/backends.py), not the coordinator's.
    return client_for(UserFactory(is_superuser=True, is_staff=True))


def test_the_client_secret_is_never_shown_again_and_blank_keeps_it(administrator, oidc_provider):
    client = administrator
    add = reverse("admin:accounts_identityprovider_add")
    assert client.get(add).status_code == 200
    response = client.post(add, admin_data(oidc_provider))
    assert response.status_code == 302, response.content.decode()[:2000]
    provider = IdentityProvider.objects.get()
    assert provider.client_secret == "het-geheim-van-de-client"
    assert provider.allowed_domains == "haarlem.example, haarlem.nl"
    assert provider.configuration["issuer"] == oidc_provider.issuer  # read on save

    change = reverse("admin:accounts_identityprovider_change", args=[provider.pk])
    page = client.get(change).content.decode()
    assert "het-geheim-van-de-client" not in page
    history = client.get(reverse("admin:accounts_identityprovider_history", args=[provider.pk]))
    assert "het-geheim-van-de-client" not in history.content.decode()

    client.post(change, admin_data(oidc_provider, client_secret="", name="Gemeente Haarlem (ambtenaren)"))
    provider.refresh_from_db()
    assert provider.name == "Gemeente Haarlem (ambtenaren)"
    assert provider.client_secret == "het-geheim-van-de-client"


def test_a_discovery_document_that_cannot_be_read_is_a_form_error(administrator, oidc_provider):
    client = administrator
    add = reverse("admin:accounts_identityprovider_add")
    response = client.post(add, admin_data(oidc_provider, issuer="http://127.0.0.1:1/o"))
    assert response.status_code == 200
    url = "http://127.0.0.1:1/o/.well-known/openid-configuration"
    assert nl("The discovery document at %(url)s could not be read.", url=url) in response.content.decode()

    other = f"{oidc_provider.url}/ander"
    response = client.post(
        add,
        admin_data(
            oidc_provider, issuer=other, discovery_url=f"{oidc_provider.issuer}/.well-known/openid-configuration"
        ),
    )
    assert response.status_code == 200
    expected = nl(
        "The discovery document names the issuer %(found)s, not %(issuer)s.", found=oidc_provider.issuer, issuer=other
    )
    assert expected in response.content.decode()
    assert not IdentityProvider.objects.exists()


def test_a_closed_account_loses_its_running_organisation_session(client, oidc_provider, provider_browser):
    make_provider(oidc_provider)
    person = secretary_person()
    log_in(client, provider_browser, oidc_provider, person.email)
    assert client.get(reverse("home")).status_code == 200
    person.refresh_from_db()
    person.user.is_active = False
    person.user.save()
    assert client.get(reverse("home")).status_code == 302
