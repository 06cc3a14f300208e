import re
from base64 import b32decode, b32encode
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"
LOGIN_STEP = "portal_login_view-current_step"


def code_of(device: TOTPDevice) -> str:
    """The code the person's app shows now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def nl(msgid: str) -> str:
    """The Dutch text of a message as the page shows it (its msgid until the translations are compiled)."""
    with translation.override("nl"):
        return gettext(msgid)


def app_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def recovery_codes_for(user, *codes: str) -> StaticDevice:
    device = StaticDevice.objects.create(user=user, name="backup")
    for code in codes:
        StaticToken.objects.create(device=device, token=code)
    return device


def password_step(client: Client, user, password: str = PASSWORD, **extra):
    return client.post(reverse("login"), {LOGIN_STEP: "auth", "username": user.username, "password": password, **extra})


def code_step(client: Client, code: str, step: str = "token", **extra):
    return client.post(reverse("login"), {LOGIN_STEP: step, f"{step}-otp_token": code, **extra})


def test_the_coordinator_without_an_app_is_sent_to_set_one_up_and_sees_nothing_else(client, coordinator):
    assert password_step(client, coordinator)["Location"] == reverse("home")
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('two_factor:setup')}?next=%2F"
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("two_factor:setup")).status_code == 200


def test_enrolment_shows_the_qr_code_and_the_secret_then_records_it(client, coordinator):
    password_step(client, coordinator)
    page = client.get(f"{reverse('two_factor:setup')}?next=/").content.decode()
    assert f'src="{reverse("two_factor:qr")}"' in page
    assert f'alt="{nl("QR code that adds the regional portal to your authenticator app")}"' in page
    qr = client.get(reverse("two_factor:qr"))
    assert qr.status_code == 200 and qr["Content-Type"].startswith("image/svg+xml")
    secret = re.search(r'<code[^>]*id="secret-key"[^>]*>([A-Z2-7]+)</code>', page).group(1)
    field = re.search(r'<input[^>]*name="generator-token"[^>]*>', page).group(0)
    assert 'autocomplete="one-time-code"' in field and 'inputmode="numeric"' in field
    assert '<label class="utrecht-form-label" for="id_generator-token">' in page

    code = f"{totp(b32decode(secret), 30, 0, 6, 0):06d}"
    refused = client.post(
        f"{reverse('two_factor:setup')}?next=/",
        {"portal_setup_view-current_step": "generator", "generator-token": wrong(code)},
    )
    assert nl("This code is not right. Check the code and try again.") in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=coordinator).exists()

    done = client.post(
        f"{reverse('two_factor:setup')}?next=/",
        {"portal_setup_view-current_step": "generator", "generator-token": code},
    )
    assert done.status_code == 302 and done["Location"] == f"{reverse('two_factor:setup_complete')}?next=%2F"
    device = TOTPDevice.objects.get(user=coordinator)
    assert device.confirmed and b32decode(secret) == device.bin_key
    assert client.get(reverse("home")).status_code == 200  # the session has given its code
    assert client.get(reverse("two_factor:qr")).status_code == 404  # the secret left the session
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SECOND_FACTOR_ENROLLED, user=coordinator).count() == 1
    assert nl("Make my recovery codes") in client.get(done["Location"]).content.decode()


def test_recovery_codes_are_ten_and_shown_only_once(client_for, coordinator):
    client = client_for(coordinator)
    made = client.post(reverse("two_factor:backup_tokens"), {"next": "/"}).content.decode()
    codes = re.findall(r'<li class="utrecht-unordered-list__item"><code class="utrecht-code">(\w+)</code></li>', made)
    assert len(codes) == 10 and len(set(codes)) == 10
    hint = (
        "Store these codes somewhere safe now, for example in your password manager or printed in a locked drawer. "
        "They are shown only this once."
    )
    assert nl(hint) in made
    assert set(StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True)) == set(codes)
    later = client.get(reverse("two_factor:backup_tokens")).content.decode()
    assert not any(code in later for code in codes)
    with translation.override("nl"):
        left = ngettext("You have %(counter)s recovery code left.", "You have %(counter)s recovery codes left.", 10)
    assert left % {"counter": 10} in later


def test_the_coordinator_logs_in_with_password_and_code(client, coordinator):
    device = app_for(coordinator)
    asked = password_step(client, coordinator, next="/beheer/")
    assert asked.status_code == 200
    page = asked.content.decode()
    field = re.search(r'<input[^>]*name="token-otp_token"[^>]*>', page).group(0)
    assert 'autocomplete="one-time-code"' in field and 'inputmode="numeric"' in field
    assert (
        f'<label class="utrecht-form-label" for="id_token-otp_token">{nl("Code from your authenticator app")}' in page
    )
    assert client.get(reverse("home")).status_code == 302  # not logged in by the password alone
    logged_in = code_step(client, code_of(device), next="/beheer/")
    assert logged_in.status_code == 302 and logged_in["Location"] == "/beheer/"
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_wrong_code_says_so_in_dutch(client, coordinator):
    device = app_for(coordinator)
    password_step(client, coordinator)
    page = code_step(client, wrong(code_of(device))).content.decode()
    assert nl("This code is not right. Check the code and try again.") in page
    assert nl("The code has only digits.") in code_step(client, "abcdef").content.decode()


def test_the_next_address_never_leaves_the_portal(client, coordinator):
    device = app_for(coordinator)
    password_step(client, coordinator, next="https://elders.example/")
    response = code_step(client, code_of(device), next="https://elders.example/")
    assert response["Location"] == reverse("home")


def test_a_recovery_code_works_once(client, coordinator):
    app_for(coordinator)
    recovery_codes_for(coordinator, "herstel123", "herstel456")
    page = password_step(client, coordinator).content.decode()
    assert nl("Use a recovery code") in page
    response = client.post(reverse("login"), {LOGIN_STEP: "token", "wizard_goto_step": "backup"})
    assert 'name="backup-otp_token"' in response.content.decode()
    assert code_step(client, "herstel123", step="backup")["Location"] == reverse("home")
    assert client.get(reverse("admin:index")).status_code == 200
    client.post(reverse("logout"))

    password_step(client, coordinator)
    client.post(reverse("login"), {LOGIN_STEP: "token", "wizard_goto_step": "backup"})
    again = code_step(client, "herstel123", step="backup")
    assert again.status_code == 200
    assert nl("This recovery code is not right, or it has been used before.") in again.content.decode()
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["herstel456"]


def test_wrong_codes_lock_the_account_as_wrong_passwords_do(client, coordinator, settings):
    device = app_for(coordinator)
    password_step(client, coordinator)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert code_step(client, wrong(code_of(device))).status_code == 200
    locked = code_step(client, wrong(code_of(device)))
    assert locked.status_code == 429
    assert "Account tijdelijk geblokkeerd" in locked.content.decode()
    # Neither the right code nor the right password gets in while the lock lasts.
    assert code_step(client, code_of(device)).status_code in (200, 429)
    assert client.get(reverse("home")).status_code == 302
    assert password_step(client, coordinator).status_code == 429
    assert client.get(reverse("home")).status_code == 302
    failed = AuditEvent.objects.filter(kind=AuditEvent.Kind.SECOND_FACTOR_FAILED, user=coordinator)
    assert failed.count() == settings.AXES_FAILURE_LIMIT


def test_a_locked_account_cannot_finish_with_a_code_begun_before_the_lock(client, coordinator, settings):
    device = app_for(coordinator)
    password_step(client, coordinator)  # the password was right; the code step is open in this browser
    other = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_step(other, coordinator, password="verkeerd")  # same user name, same address
    response = code_step(client, code_of(device))
    assert response.status_code == 429
    assert client.get(reverse("home")).status_code == 302


def test_wrong_passwords_of_an_account_with_an_app_are_counted_too(client, coordinator, settings):
    app_for(coordinator)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert password_step(client, coordinator, password="verkeerd").status_code == 200
    assert password_step(client, coordinator, password="verkeerd").status_code == 429
    assert password_step(client, coordinator).status_code == 429


def test_log_in_posts_are_limited_per_address(client, settings):
    settings.LOGIN_RATE_LIMIT = "3/m"
    user = get_user_model().objects.create_user("anna", password=PASSWORD)
    for _ in range(3):
        assert password_step(client, user, password="verkeerd").status_code == 200
    blocked = password_step(Client(), user)  # another browser from the same address
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "60"
    assert client.get(reverse("login")).status_code == 200  # the page itself stays readable


def test_required_for_the_coordinator_and_superusers_not_for_a_secretary(client_for, secretary):
    superuser = get_user_model().objects.create_superuser("beheerder", "beheer@example.nl", PASSWORD)
    client = Client()
    client.force_login(superuser)
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor:setup"))
    staff = get_user_model().objects.create_user("medewerker", password=PASSWORD, is_staff=True)
    client = Client()
    client.force_login(staff)
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor:setup"))

    client = Client()
    assert password_step(client, secretary)["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_a_secretary_may_set_it_up_and_is_then_asked_for_the_code(client, secretary):
    password_step(client, secretary)
    profile = client.get(reverse("two_factor:profile")).content.decode()
    assert nl("Set up two-step verification") in profile
    assert f'href="{reverse("two_factor:profile")}"' in client.get(reverse("home")).content.decode()
    page = client.get(reverse("two_factor:setup")).content.decode()
    secret = re.search(r'id="secret-key"[^>]*>([A-Z2-7]+)<', page).group(1)
    client.post(
        reverse("two_factor:setup"),
        {"portal_setup_view-current_step": "generator", "generator-token": f"{totp(b32decode(secret)):06d}"},
    )
    assert TOTPDevice.objects.filter(user=secretary, confirmed=True).exists()
    client.post(reverse("logout"))
    asked = password_step(client, secretary)
    assert asked.status_code == 200 and 'name="token-otp_token"' in asked.content.decode()


def test_a_secretary_may_turn_it_off_the_coordinator_may_not(client_for, secretary, coordinator):
    app_for(secretary)
    client = Client()
    password_step(client, secretary)
    code_step(client, code_of(TOTPDevice.objects.get(user=secretary)))
    turned_off = client.post(reverse("two_factor:disable"), {"understand": "on"})
    assert turned_off.status_code == 302
    assert not TOTPDevice.objects.filter(user=secretary).exists()
    assert client_for(coordinator).get(reverse("two_factor:disable")).status_code == 403


def test_an_organisation_log_in_relies_on_the_providers_mfa(coordinator):
    # The callback lets the coordinator in only when the provider named a second factor (tests/accounts/test_oidc.py).
    client = Client()
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["login_method"] = "oidc"
    session.save()
    assert client.get(reverse("home")).status_code == 200


def test_a_session_opened_without_the_code_of_an_account_with_an_app_is_refused(coordinator):
    app_for(coordinator)
    client = Client()
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("home"))
    assert response.status_code == 403
    page = response.content.decode()
    assert nl("Log in again with your code") in page and f'action="{reverse("logout")}"' in page
    assert client.get(reverse("two_factor:backup_tokens")).status_code == 403


def test_a_session_without_the_code_cannot_set_up_a_second_app_to_get_round_it(client, coordinator, secretary):
    # A session that logged in with the password before the account had its app (set up since, elsewhere).
    password_step(client, coordinator)
    app_for(coordinator)
    for name in ("two_factor:setup", "two_factor:qr", "two_factor:setup_complete"):
        assert client.get(reverse(name)).status_code == 403, name
    session = client.session
    session["django_two_factor-qr_secret_key"] = b32encode(b"0123456789abcdefghij").decode()
    session.save()
    code = f"{totp(b'0123456789abcdefghij', 30, 0, 6, 0):06d}"
    response = client.post(
        reverse("two_factor:setup"), {"portal_setup_view-current_step": "generator", "generator-token": code}
    )
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1
    assert client.get(reverse("home")).status_code == 403

    # Nor for an account that does not need it: a session without the code of its app sets up nothing.
    app_for(secretary)
    other = Client()
    other.force_login(secretary, backend="django.contrib.auth.backends.ModelBackend")
    assert other.post(reverse("two_factor:setup"), {"portal_setup_view-current_step": "method"}).status_code == 403
    assert TOTPDevice.objects.filter(user=secretary).count() == 1


def test_the_coordinator_resets_a_second_factor_ending_its_sessions(client_for, coordinator, secretary):
    app_for(secretary)
    recovery_codes_for(secretary, "herstel123")
    theirs = Client()
    password_step(theirs, secretary)
    code_step(theirs, code_of(TOTPDevice.objects.get(user=secretary)))
    assert theirs.get(reverse("home")).status_code == 200

    admin = client_for(coordinator)
    changelist = reverse("admin:accounts_secondfactoraccount_changelist")
    assert admin.get(changelist).status_code == 200
    response = admin.post(changelist, {"action": "reset", "_selected_action": [secretary.pk]}, follow=True)
    with translation.override("nl"):
        message = ngettext(
            "Two-step verification reset for %(count)d account; its sessions have ended and it sets up "
            "the app again at the next log-in.",
            "Two-step verification reset for %(count)d accounts; their sessions have ended and they set up "
            "the app again at the next log-in.",
            1,
        ) % {"count": 1}
    assert message in response.content.decode()

    assert not TOTPDevice.objects.filter(user=secretary).exists()
    assert not StaticDevice.objects.filter(user=secretary).exists()
    assert theirs.get(reverse("home")).status_code == 302  # logged out
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SECOND_FACTOR_RESET)
    assert event.user == coordinator and event.object_id == str(secretary.pk)
    change = admin.get(reverse("admin:accounts_secondfactoraccount_change", args=[secretary.pk])).content.decode()
    resets = re.search(r'field-resets.*?<div class="readonly">(.*?)</div>', change, re.DOTALL).group(1)
    assert coordinator.username in resets  # the history of resets, by whom


def test_the_coordinator_cannot_reset_a_superuser(client_for, coordinator):
    superuser = get_user_model().objects.create_superuser("beheerder", "beheer@example.nl", PASSWORD)
    app_for(superuser)
    admin = client_for(coordinator)
    changelist = reverse("admin:accounts_secondfactoraccount_changelist")
    admin.post(changelist, {"action": "reset", "_selected_action": [superuser.pk]})
    assert TOTPDevice.objects.filter(user=superuser).exists()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.SECOND_FACTOR_RESET).exists()


def test_no_secret_is_readable_in_the_admin(client_for, coordinator, secretary):
    device = app_for(secretary)
    recovery_codes_for(secretary, "herstel123")
    superuser = get_user_model().objects.create_superuser("beheerder", "beheer@example.nl", PASSWORD)
    secret_b32 = b32encode(device.bin_key).decode()
    for admin in (client_for(coordinator), client_for(superuser)):
        for url in (
            reverse("admin:accounts_secondfactoraccount_changelist"),
            reverse("admin:accounts_secondfactoraccount_change", args=[secretary.pk]),
            reverse("admin:index"),
        ):
            response = admin.get(url)
            assert response.status_code == 200, url
            page = unescape(response.content.decode())
            assert device.key not in page and secret_b32 not in page and "herstel123" not in page
        assert admin.get("/beheer/otp_totp/totpdevice/").status_code == 404
        assert admin.get("/beheer/otp_static/staticdevice/").status_code == 404
    with pytest.raises(NoReverseMatch):
        reverse("admin:otp_totp_totpdevice_changelist")


def test_the_list_says_who_has_set_it_up(client_for, coordinator, secretary):
    app_for(secretary)
    admin = client_for(coordinator)
    changelist = reverse("admin:accounts_secondfactoraccount_changelist")
    shown = admin.get(changelist, {"ingesteld": "ja"}).content.decode()
    assert secretary.username in shown
    hidden = admin.get(changelist, {"ingesteld": "nee"}).content.decode()
    assert secretary.username not in hidden


def test_a_secretary_cannot_open_the_reset_page(client_for, secretary):
    url = reverse("admin:accounts_secondfactoraccount_changelist")
    assert client_for(secretary).get(url).status_code == 403


@pytest.mark.parametrize(
    "data",
    [
        {LOGIN_STEP: "token", "token-otp_token": "123456"},
        {LOGIN_STEP: "bogus"},
        {LOGIN_STEP: "token", "wizard_goto_step": "nonsense"},
        {LOGIN_STEP: "token", "token-otp_token": "9" * 50},
        {LOGIN_STEP: "token", "token-otp_token": "١٢٣٤٥٦"},
        {LOGIN_STEP: "backup", "backup-otp_token": "x" * 500},
        {"wizard_goto_step": "backup"},
        {"username": "\x00", "password": "\x00"},
    ],
)
def test_odd_log_in_posts_get_no_500(coordinator, data):
    app_for(coordinator)
    client = Client(raise_request_exception=False)
    assert client.post(reverse("login"), data).status_code < 500  # before the password
    password_step(client, coordinator)
    assert client.post(reverse("login"), data).status_code < 500  # at the code step
    assert client.get(reverse("home")).status_code == 302  # and never logged in by them


@pytest.mark.parametrize("token", ["9" * 40, "-5", "１２３４５６", ""])
def test_odd_codes_at_set_up_get_a_message_not_a_500(client_for, secretary, token):
    client = client_for(secretary)
    client.raise_request_exception = False
    response = client.post(
        reverse("two_factor:setup"), {"portal_setup_view-current_step": "generator", "generator-token": token}
    )
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not TOTPDevice.objects.filter(user=secretary).exists()
