"""Sessions: idle time-out, absolute lifetime, the records of who is logged in where, and 'my sessions'."""

import datetime
import json

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import SessionRecord
from accounts.sessions import describe_browser, end_all_sessions
from audit.models import AuditEvent
from tests.factories import OfficeFactory, PersonFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def person_user(db):
    """An account whose person holds an office, so every page of the portal is open to it."""
    person = PersonFactory(with_login=True)
    OfficeFactory(person=person)
    return person.user


def log_in(user, **headers) -> Client:
    client = Client(HTTP_USER_AGENT=headers.pop("user_agent", FIREFOX), **headers)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def at(minutes: float):
    return time_machine.travel(START + datetime.timedelta(minutes=minutes), tick=False)


def test_a_log_in_makes_a_record_and_a_log_out_removes_it(person_user):
    client = log_in(person_user, REMOTE_ADDR="192.0.2.7")
    session_record = SessionRecord.objects.get(user=person_user)
    assert session_record.session_key == client.session.session_key
    assert session_record.ip_address == "192.0.2.7"
    assert session_record.user_agent == FIREFOX
    assert session_record.method == SessionRecord.Method.PASSWORD
    client.post(reverse("logout"))
    assert not SessionRecord.objects.filter(user=person_user).exists()


def test_the_session_cookie_ends_with_the_browser(person_user):
    client = Client()
    response = client.post(reverse("login"), {"username": person_user.username, "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # no persistent cookie


def test_thirty_minutes_without_a_request_log_out_with_a_message_and_a_way_back(person_user):
    with at(0):
        client = log_in(person_user)
        assert client.get(reverse("notification_list")).status_code == 200
    with at(31):
        response = client.get(reverse("notification_list") + "?filter=unread")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=%2Fmeldingen%2F%3Ffilter%3Dunread"
    with at(31):
        page = client.get(response["Location"]).content.decode()
    assert "U bent uitgelogd omdat u het portaal 30 minuten niet heeft gebruikt." in page
    assert not SessionRecord.objects.filter(user=person_user).exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SESSION_ENDED, user=person_user, detail__reason="idle")


def test_requests_keep_the_session_alive_until_the_absolute_lifetime(person_user, settings):
    with at(0):
        client = log_in(person_user)
    minute = 0
    while minute < settings.SESSION_ABSOLUTE_HOURS * 60 - 20:
        minute += 20
        with at(minute):
            assert client.get(reverse("notification_list")).status_code == 200, minute
    with at(settings.SESSION_ABSOLUTE_HOURS * 60 + 1):
        response = client.get(reverse("notification_list"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        page = client.get(response["Location"]).content.decode()
    assert "Voor uw veiligheid wordt u na 12 uur uitgelogd." in page


def test_an_htmx_request_after_the_time_out_goes_to_the_log_in_page_not_into_the_page(person_user):
    with at(0):
        client = log_in(person_user)
    with at(45):
        response = client.get(
            reverse("notification_list"),
            headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/vergaderingen/?jaar=2026"},
        )
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Redirect"] == reverse("login") + "?next=%2Fvergaderingen%2F%3Fjaar%3D2026"


def test_last_use_is_written_at_most_once_a_minute(person_user):
    with at(0):
        client = log_in(person_user)
    url = reverse("notification_list")

    def record_writes(minutes):
        with at(minutes), CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "accounts_sessionrecord" in q["sql"]]

    assert record_writes(0.2) == []
    assert record_writes(0.5) == []
    assert len(record_writes(1.5)) == 1
    assert record_writes(2) == []
    assert SessionRecord.objects.get(user=person_user).last_seen == START + datetime.timedelta(minutes=1.5)


def test_asking_the_time_left_does_not_count_as_activity_but_staying_logged_in_does(person_user):
    with at(0):
        client = log_in(person_user)
    with at(28):
        status = client.get(reverse("session_status"))
    assert status.status_code == 200 and 110 <= json.loads(status.content)["remaining"] <= 120
    with at(31):
        assert client.get(reverse("session_status")).status_code == 401
        assert client.get(reverse("notification_list")).status_code == 302

    with at(100):
        client = log_in(person_user)
    with at(128):
        kept = client.post(reverse("session_keep_alive"))
    assert kept.status_code == 200 and json.loads(kept.content)["remaining"] == 30 * 60
    with at(150):
        assert client.get(reverse("notification_list")).status_code == 200


def test_staying_logged_in_needs_the_csrf_token(person_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person_user)
    assert client.post(reverse("session_keep_alive")).status_code == 403


def test_the_page_tells_the_script_how_long_the_session_has(person_user):
    with at(0):
        client = log_in(person_user)
    with at(0.5):
        page = client.get(reverse("home")).content.decode()
    assert 'data-remaining="1770"' in page and 'data-idle="1800"' in page
    assert '<dialog id="session-dialog"' in page
    assert "Ingelogd blijven" in page and "U wordt over 2 minuten uitgelogd" in page
    assert "onclick" not in page.split('<dialog id="session-dialog"')[1]
    assert 'style="' not in page.split('<dialog id="session-dialog"')[1]


def test_the_log_in_page_has_no_session_script():
    page = Client().get(reverse("login")).content.decode()
    assert "js/session.js" not in page


def test_my_sessions_lists_every_open_session_and_marks_this_one(person_user):
    phone = log_in(person_user, user_agent="Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile")
    laptop = log_in(person_user, REMOTE_ADDR="198.51.100.4")
    page = laptop.get(reverse("my_sessions")).content.decode()
    assert "Chrome op Android" in page and "Firefox op Windows" in page
    assert "198.51.100.4" in page
    assert page.count("(deze sessie)") == 1
    assert page.count(">Beëindigen<") == 1
    assert "Alle andere sessies beëindigen" in page
    assert phone.session.session_key not in page and laptop.session.session_key not in page  # keys are secrets


def test_ending_another_session_logs_that_browser_out(person_user):
    phone = log_in(person_user)
    laptop = log_in(person_user)
    other = SessionRecord.objects.get(session_key=phone.session.session_key)
    response = laptop.post(reverse("end_session", args=[other.pk]))
    assert response.status_code == 302
    assert phone.get(reverse("notification_list")).status_code == 302  # logged out
    assert laptop.get(reverse("notification_list")).status_code == 200
    assert not Session.objects.filter(session_key=other.session_key).exists()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SESSION_ENDED, user=person_user)
    assert event.detail["reason"] == "ended by the person"
    assert other.session_key not in json.dumps(event.detail)


def test_someone_elses_session_does_not_exist_here(person_user):
    stranger = PersonFactory(with_login=True)
    OfficeFactory(person=stranger)
    theirs = log_in(stranger.user)
    mine = log_in(person_user)
    record_ = SessionRecord.objects.get(user=stranger.user)
    assert mine.post(reverse("end_session", args=[record_.pk])).status_code == 404
    assert mine.post(reverse("end_session", args=[10**12])).status_code == 404
    assert theirs.get(reverse("notification_list")).status_code == 200


def test_ending_is_a_post(person_user):
    client = log_in(person_user)
    record_ = SessionRecord.objects.get(user=person_user)
    assert client.get(reverse("end_session", args=[record_.pk])).status_code == 405
    assert client.get(reverse("end_other_sessions")).status_code == 405


def test_ending_all_other_sessions_keeps_this_one(person_user):
    others = [log_in(person_user) for _ in range(3)]
    this = log_in(person_user)
    this.post(reverse("end_other_sessions"))
    assert all(other.get(reverse("notification_list")).status_code == 302 for other in others)
    assert this.get(reverse("notification_list")).status_code == 200
    assert SessionRecord.objects.filter(user=person_user).count() == 1


def test_end_all_sessions_counts_and_records_each(person_user):
    clients = [log_in(person_user) for _ in range(2)]
    assert end_all_sessions(person_user, reason="second factor reset") == 2
    assert all(c.get(reverse("notification_list")).status_code == 302 for c in clients)
    assert (
        AuditEvent.objects.filter(kind=AuditEvent.Kind.SESSION_ENDED, detail__reason="second factor reset").count() == 2
    )
    assert end_all_sessions(person_user, reason="second factor reset") == 0


def test_a_verified_second_factor_is_recorded_as_the_method(person_user):
    from django_otp.plugins.otp_static.models import StaticDevice

    client = log_in(person_user)
    device = StaticDevice.objects.create(user=person_user, name="herstelcodes", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    assert client.get(reverse("home")).status_code == 200
    assert SessionRecord.objects.get(user=person_user).method == SessionRecord.Method.PASSWORD_AND_CODE


def test_an_organisation_log_in_is_recorded_with_its_provider(person_user, rf):
    from django.contrib.auth import login
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import IdentityProvider

    provider = IdentityProvider.objects.create(
        name="Gemeente Haarlem", slug="haarlem", issuer="https://login.haarlem.example", client_id="portaal"
    )
    request = rf.get("/")
    request.session = SessionStore()
    request.session["login_method"] = "oidc"
    request.session["login_provider"] = provider.pk
    request.session["login_amr"] = ["pwd", "otp"]
    request.session["login_acr"] = "urn:example:substantial"
    login(request, person_user, backend="django.contrib.auth.backends.ModelBackend")
    record_ = SessionRecord.objects.get(user=person_user)
    assert (record_.method, record_.provider, record_.amr, record_.acr) == (
        "oidc",
        provider,
        "pwd otp",
        "urn:example:substantial",
    )


def test_a_new_log_in_clears_the_records_of_sessions_that_are_gone(person_user):
    old = log_in(person_user)
    Session.objects.filter(session_key=old.session.session_key).update(expire_date=timezone.now())
    log_in(person_user)
    assert SessionRecord.objects.filter(user=person_user).count() == 1


@pytest.mark.parametrize(
    ("agent", "name"),
    [
        (FIREFOX, "Firefox op Windows"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15",
            "Safari op macOS",
        ),
        ("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0", "Edge op Windows"),
        ("", "onbekende browser"),
    ],
)
def test_browser_names(agent, name):
    assert describe_browser(agent) == name


def test_the_log_in_page_after_a_time_out_is_simply_the_log_in_page(person_user):
    with at(0):
        client = log_in(person_user)
    with at(40):
        response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "U bent uitgelogd omdat u het portaal 30 minuten niet heeft gebruikt." in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_a_form_sent_after_the_time_out_comes_back_to_its_page(person_user):
    with at(0):
        client = log_in(person_user)
    with at(40):
        response = client.post(
            reverse("notifications_all_read"), headers={"Referer": "http://testserver/meldingen/?filter=unread"}
        )
    assert response["Location"] == reverse("login") + "?next=%2Fmeldingen%2F%3Ffilter%3Dunread"


def test_the_daily_clean_up_removes_idle_and_ended_sessions_and_keeps_the_live_one(person_user):
    from django_celery_beat.models import PeriodicTask

    from accounts.tasks import clear_expired_sessions

    with at(0):
        idle = log_in(person_user)
        ended = log_in(person_user)
    with at(25):
        live = log_in(person_user)
    Session.objects.filter(session_key=ended.session.session_key).delete()  # ended elsewhere, record left
    with at(40):  # the first two are idle past 30 minutes, the last one is not
        assert clear_expired_sessions() == {"sessions": 1, "records": 2}
        assert list(SessionRecord.objects.values_list("session_key", flat=True)) == [live.session.session_key]
        assert live.get(reverse("my_sessions")).status_code == 200
        assert idle.get(reverse("my_sessions")).status_code == 302
    assert (
        PeriodicTask.objects.get(name="accounts: clear ended sessions").task == "accounts.tasks.clear_expired_sessions"
    )
