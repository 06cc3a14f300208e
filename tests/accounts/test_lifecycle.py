"""The account life-cycle: password reset without user enumeration, rate limits, password change, accounts
without an office, unused accounts switched off."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.lifecycle import address_hash
from accounts.models import SessionRecord
from accounts.tasks import deactivate_unused_accounts, send_deactivation_notice, send_password_reset_mail
from audit.models import AuditEvent
from tests.factories import MembershipFactory, OfficeFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"
NEW_PASSWORD = "paarse-olifant-fietst-71"


@pytest.fixture
def anna(db):
    person = PersonFactory(with_login=True, email="anna@haarlem.example")
    person.user.email = "anna@haarlem.example"
    person.user.save()
    OfficeFactory(person=person)
    return person.user


def ask_reset(client: Client, email: str, capture) -> tuple:
    """Posts the form; returns the response, the queries it made and the work it queued."""
    with CaptureQueriesContext(connection) as queries, capture(execute=False) as queued:
        response = client.post(reverse("password_reset"), {"email": email})
    return response, queries, queued


def shape(queries) -> list[str]:
    """The kind of each query (which statement on which table), the values left out."""
    return tuple(re.sub(r"'[^']*'|\b\d+\b|\bNULL\b", "?", q["sql"]).split(" WHERE ")[0] for q in queries)


# --- Password reset: no user enumeration ---


def test_known_unknown_and_switched_off_addresses_get_the_same_answer_and_the_same_work(
    anna, django_capture_on_commit_callbacks
):
    off = UserFactory(email="oud@haarlem.example", is_active=False)
    Client().post(reverse("password_reset"), {"email": "warm@example.org"})  # what is cached after one request
    answers = {}
    for email in ("anna@haarlem.example", "niemand@haarlem.example", off.email, "ANNA@haarlem.example"):
        response, queries, queued = ask_reset(Client(), email, django_capture_on_commit_callbacks)
        answers[email] = (response.status_code, response["Location"], shape(queries), len(queued))
        # Nothing is sent while the person waits: the answer cannot take longer for a real account.
        assert mail.outbox == []
    assert len(set(answers.values())) == 1, answers
    status, location, _, queued = answers["anna@haarlem.example"]
    assert (status, location, queued) == (302, reverse("password_reset_done"), 1)


def test_the_done_page_says_the_same_for_everyone(client):
    page = client.get(reverse("password_reset_done")).content.decode()
    assert "Als er een account in het regioportaal is met dit e-mailadres" in page
    assert "60 minuten" in page


def test_the_mail_goes_only_to_a_known_active_account_with_a_password(anna):
    invited = UserFactory(email="nieuw@haarlem.example")
    invited.set_unusable_password()
    invited.save()
    UserFactory(email="oud@haarlem.example", is_active=False)
    assert send_password_reset_mail("niemand@haarlem.example") == 0
    assert send_password_reset_mail("oud@haarlem.example") == 0
    assert send_password_reset_mail("nieuw@haarlem.example") == 0
    assert mail.outbox == []
    assert send_password_reset_mail("Anna@Haarlem.example") == 1
    message = mail.outbox[0]
    assert message.to == ["anna@haarlem.example"]
    assert message.subject == "Een nieuw wachtwoord voor het regioportaal"
    assert "De link werkt één keer en 60 minuten lang." in message.body
    assert "Heeft u dit niet aangevraagd?" in message.body


def test_the_queued_task_is_the_one_that_sends(anna, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(reverse("password_reset"), {"email": "anna@haarlem.example"})
    assert mail.outbox == []
    [callback] = queued
    task_args = callback.args[0]
    assert task_args == ("anna@haarlem.example",)
    send_password_reset_mail(*task_args)
    assert len(mail.outbox) == 1


def test_the_request_is_in_the_trail_without_the_address_a_stranger_typed(anna, client):
    client.post(reverse("password_reset"), {"email": "anna@haarlem.example"})
    client.post(reverse("password_reset"), {"email": "geheim-adres@example.org"})
    known, unknown = AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSWORD_RESET_REQUESTED).order_by("id")
    assert known.user == anna and known.username == anna.username
    assert unknown.user is None and unknown.username == ""
    assert unknown.detail == {"address": address_hash("geheim-adres@example.org")}
    assert "geheim-adres" not in str(unknown.detail)


def test_an_empty_or_wrong_address_gets_a_dutch_message(client):
    page = client.post(reverse("password_reset"), {"email": "geen adres"}).content.decode()
    assert "Vul een e-mailadres in, zoals naam@gemeente.nl." in page
    page = client.post(reverse("password_reset"), {"email": ""}).content.decode()
    assert "Vul uw e-mailadres in." in page


# --- Rate limits ---


@pytest.mark.parametrize("email", ["anna@haarlem.example", "niemand@haarlem.example"])
def test_the_same_address_three_times_an_hour_then_429(anna, client, settings, email):
    for n in range(3):
        response = client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=f"192.0.2.{n}")
        assert response.status_code == 302
    refused = client.post(reverse("password_reset"), {"email": email.upper()}, REMOTE_ADDR="192.0.2.99")
    assert refused.status_code == 429
    assert "Te veel pogingen" in refused.content.decode()
    assert refused["Retry-After"]
    # Another address from the same client is not held up by it.
    assert client.post(reverse("password_reset"), {"email": "iemand@zandvoort.example"}).status_code == 302


def test_one_client_ten_addresses_an_hour_then_429(client):
    for n in range(10):
        assert client.post(reverse("password_reset"), {"email": f"iemand{n}@example.org"}).status_code == 302
    assert client.post(reverse("password_reset"), {"email": "nog-een@example.org"}).status_code == 429
    assert (
        Client(REMOTE_ADDR="198.51.100.1").post(reverse("password_reset"), {"email": "nog-een@example.org"}).status_code
        == 302
    )


# --- The link ---


def reset_link(user) -> str:
    send_password_reset_mail(user.email)
    return re.search(r"http://[^\s]+", mail.outbox[-1].body).group(0).removeprefix("http://127.0.0.1:8000")


def test_the_link_sets_a_new_password_and_ends_every_session(anna):
    phone = Client()
    phone.force_login(anna)
    assert phone.get(reverse("notification_list")).status_code == 200
    client = Client()
    form_page = client.get(reset_link(anna), follow=True)
    assert "Kies een nieuw wachtwoord" in form_page.content.decode()
    url = form_page.redirect_chain[-1][0]
    response = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_complete")
    anna.refresh_from_db()
    assert anna.check_password(NEW_PASSWORD)
    assert phone.get(reverse("notification_list")).status_code == 302
    assert not SessionRecord.objects.filter(user=anna).exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSWORD_CHANGED, user=anna).exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SESSION_ENDED, user=anna, detail__reason="password reset")


def test_the_link_works_once(anna):
    link = reset_link(anna)
    client = Client()
    url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = Client().get(link, follow=True).content.decode()
    assert "Deze link werkt niet meer" in again


def test_the_link_works_for_an_hour(anna):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        link = reset_link(anna)
    with time_machine.travel(now + datetime.timedelta(minutes=59), tick=False):
        assert "new_password1" in Client().get(link, follow=True).content.decode()
    with time_machine.travel(now + datetime.timedelta(minutes=61), tick=False):
        assert "Deze link werkt niet meer" in Client().get(link, follow=True).content.decode()


def test_an_invitation_token_is_no_reset_link(anna):
    uid = urlsafe_base64_encode(force_bytes(anna.pk))
    url = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(anna)])
    assert "Deze link werkt niet meer" in Client().get(url, follow=True).content.decode()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kort-1", "Dit wachtwoord is te kort. Het moet minstens 12 tekens bevatten."),
        ("Zandvoort2025!", "Dit wachtwoord is te algemeen."),
        ("wachtwoord123", "Dit wachtwoord is te algemeen."),
        ("1qaz2wsx3edc", "Dit wachtwoord is te algemeen."),
        ("Wachtwoord2025!", "Dit wachtwoord is te algemeen."),
        ("739182736451", "Dit wachtwoord bevat alleen cijfers."),
    ],
)
def test_weak_passwords_are_refused_in_dutch(anna, password, message):
    client = Client()
    url = client.get(reset_link(anna), follow=True).redirect_chain[-1][0]
    page = client.post(url, {"new_password1": password, "new_password2": password}).content.decode()
    assert message in page
    anna.refresh_from_db()
    assert anna.check_password(PASSWORD)


# --- Password change ---


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(anna):
    other = Client()
    other.force_login(anna)
    this = Client()
    this.post(reverse("login"), {"username": anna.username, "password": PASSWORD})
    response = this.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert this.get(reverse("notification_list")).status_code == 200
    assert other.get(reverse("notification_list")).status_code == 302
    [kept] = SessionRecord.objects.filter(user=anna)
    assert kept.session_key == this.session.session_key
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSWORD_CHANGED, user=anna, detail__by="the person")
    page = this.get(reverse("my_sessions")).content.decode()
    assert page.count("(deze sessie)") == 1


def test_changing_the_password_needs_the_old_one(anna, client_for):
    page = (
        client_for(anna)
        .post(
            reverse("password_change"),
            {"old_password": "verkeerd", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        .content.decode()
    )
    assert "Uw oude wachtwoord is niet juist ingevoerd." in page


# --- Accounts without a current office ---


@pytest.fixture
def former(db):
    """A person whose only office ended."""
    person = PersonFactory(with_login=True)
    OfficeFactory(person=person, ended=True)
    return person.user


def test_without_an_office_only_the_start_page(former, client_for):
    client = client_for(former)
    response = client.get(reverse("body_list"))
    assert response.status_code == 302 and response["Location"] == reverse("home")
    page = client.get(reverse("home")).content.decode()
    assert "U heeft op dit moment geen functie in de regio; u ziet daarom alleen uw startpagina." in page
    # Their own account and their own notifications stay open.
    for name in ("my_sessions", "password_change", "notification_list"):
        assert client.get(reverse(name)).status_code == 200, name


def test_without_an_office_an_objects_page_answers_as_before(former, client_for):
    from meetings.models import Meeting
    from tests.factories import ConsultationBodyFactory

    meeting = Meeting.for_body(ConsultationBodyFactory(), timezone.now() + datetime.timedelta(days=3))
    meeting.save()
    assert client_for(former).get(reverse("meeting_detail", args=[meeting.pk])).status_code == 404


def test_a_seat_in_a_body_counts_like_an_office(client_for):
    person = PersonFactory(with_login=True)
    MembershipFactory(person=person, starts_on=datetime.date(2021, 1, 1))
    assert client_for(person.user).get(reverse("body_list")).status_code == 200


def test_an_office_entered_today_opens_the_portal_at_once(former, client_for):
    client = client_for(former)
    assert client.get(reverse("body_list")).status_code == 302
    OfficeFactory(person=former.person)
    assert client.get(reverse("body_list")).status_code == 200


def test_the_check_costs_one_query_a_minute(person_with_office_client):
    client, url = person_with_office_client
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert not [q for q in queries if "municipalities_office" in q["sql"] and "EXISTS" in q["sql"].upper()]


@pytest.fixture
def person_with_office_client(client_for):
    person = PersonFactory(with_login=True)
    OfficeFactory(person=person)
    return client_for(person.user), reverse("body_list")


def test_a_superuser_keeps_access(client_for):
    admin = UserFactory(is_superuser=True, is_staff=True)
    from django_otp.plugins.otp_static.models import StaticDevice

    client = client_for(admin)
    device = StaticDevice.objects.create(user=admin, name="codes", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    assert client.get(reverse("operations_status")).status_code != 302


# --- Unused accounts ---


def test_unused_accounts_are_switched_off_once_with_a_notice(django_capture_on_commit_callbacks):
    now = timezone.now()
    unused = PersonFactory(with_login=True, email="weg@haarlem.example").user
    unused.email = "weg@haarlem.example"
    unused.last_login = now - datetime.timedelta(days=200)
    unused.save()
    never = UserFactory(email="nooit@haarlem.example")
    type(never).objects.filter(pk=never.pk).update(date_joined=now - datetime.timedelta(days=400))
    recent = UserFactory(email="net@haarlem.example", last_login=now - datetime.timedelta(days=20))
    admin = UserFactory(is_superuser=True, last_login=now - datetime.timedelta(days=900))

    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert deactivate_unused_accounts() == 2
    for callback in queued:  # what the worker does with the queued notices
        send_deactivation_notice(*callback.args[0])
    for user, active in ((unused, False), (never, False), (recent, True), (admin, True)):
        user.refresh_from_db()
        assert user.is_active is active, user
    assert sorted(m.to[0] for m in mail.outbox) == ["nooit@haarlem.example", "weg@haarlem.example"]
    notice = next(m for m in mail.outbox if m.to == ["weg@haarlem.example"])
    assert notice.subject == "Uw account in het regioportaal is uitgezet"
    assert "meer dan 6 maanden niet gebruikt" in notice.body
    assert "Vraag het de regiocoördinator" in notice.body
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCOUNT_DEACTIVATED).count() == 2

    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert deactivate_unused_accounts() == 0
    assert queued == []
    assert len(mail.outbox) == 2
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCOUNT_DEACTIVATED).count() == 2


def test_a_switched_off_account_cannot_log_in(db):
    user = UserFactory(last_login=timezone.now() - datetime.timedelta(days=365))
    deactivate_unused_accounts()
    response = Client().post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200  # the form again, not logged in


def test_no_notice_for_an_account_switched_on_again(db):
    user = UserFactory(email="terug@haarlem.example", is_active=True)
    assert send_deactivation_notice(user.pk) is False
    assert mail.outbox == []


def test_the_daily_schedule_is_outside_the_night_hour(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="accounts.tasks.deactivate_unused_accounts")
    assert task.crontab.hour == "4" and task.crontab.minute == "30"
    assert str(task.crontab.timezone) == "Europe/Amsterdam"
