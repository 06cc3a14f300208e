"""The audit trail as the security officer reads it: log-ins, confidential views, draft downloads, the export
and the pruning."""

import csv
import datetime
import io
import json

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_celery_beat.models import PeriodicTask

from audit import tasks
from audit.models import AuditEvent, record
from config.celery import app
from meetings.models import DocumentVersion, Meeting
from tests.audit.conftest import add_item
from tests.factories import UserFactory
from tests.meetings.conftest import pdf_file

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"
SECRET_TITLE = "Reorganisatie afdeling Vergunningen"
Kind = AuditEvent.Kind


def log_in(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password}, HTTP_USER_AGENT="Testbrowser")


def everything_recorded() -> str:
    """Every stored value of every event, as one text to search."""
    return json.dumps(list(AuditEvent.objects.values()), default=str, ensure_ascii=False)


def export(client, date_from, date_to):
    return client.post(reverse("admin:audit_auditevent_export"), {"date_from": str(date_from), "date_to": str(date_to)})


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


# Log-ins.


def test_a_log_in_and_a_log_out_are_recorded_with_address_and_browser(client):
    user = UserFactory(username="anna")
    assert log_in(client, "anna", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    login, logout = AuditEvent.objects.order_by("at", "id")
    assert (login.kind, login.user, login.username) == (Kind.LOGIN, user, "anna")
    assert login.ip_address == "127.0.0.1" and login.user_agent == "Testbrowser"
    assert (logout.kind, logout.user) == (Kind.LOGOUT, user)


def test_a_failed_log_in_records_the_name_tried_and_never_the_password(client):
    UserFactory(username="anna")
    log_in(client, "anna", "mijn-geheime-poging")
    event = AuditEvent.objects.get()
    assert event.kind == Kind.LOGIN_FAILED
    assert event.username == "anna" and event.user is None
    assert event.detail == {"stage": "password"}
    assert "mijn-geheime-poging" not in everything_recorded()


def test_a_wrong_second_factor_code_is_told_apart_from_a_wrong_password(rf):
    from django.contrib.auth.signals import user_login_failed

    request = rf.post("/account/tweede-factor/")
    user_login_failed.send(sender="accounts.second_factor", credentials={"username": "anna"}, request=request)
    event = AuditEvent.objects.get(kind=Kind.LOGIN_FAILED)
    assert (event.username, event.detail) == ("anna", {"stage": "second_factor"})


def test_attempts_during_a_lock_out_are_recorded_as_locked_out(client, settings):
    UserFactory(username="anna")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        log_in(client, "anna", "verkeerd")
    events = list(AuditEvent.objects.filter(kind=Kind.LOGIN_FAILED).order_by("id"))
    assert len(events) == settings.AXES_FAILURE_LIMIT + 1
    assert not events[0].detail.get("locked_out")
    assert events[-1].detail["locked_out"] is True


def test_axes_keeps_no_second_log_of_log_ins(client, settings):
    """One source of truth: the audit trail, not django-axes' access log."""
    from axes.models import AccessFailureLog, AccessLog

    UserFactory(username="anna")
    log_in(client, "anna", "verkeerd")
    log_in(client, "anna", PASSWORD)
    assert not AccessLog.objects.exists() and not AccessFailureLog.objects.exists()
    assert AuditEvent.objects.filter(kind__in=[Kind.LOGIN, Kind.LOGIN_FAILED]).count() == 2


def test_an_event_refuses_to_quote_a_title():
    with pytest.raises(ValueError):
        record(Kind.VIEWED_CONFIDENTIAL, title=SECRET_TITLE)


# Confidential items and drafts.


def published_with_secrets(meeting, secretary, count: int):
    secrets = [add_item(meeting, secretary, f"{SECRET_TITLE} {n}", confidential=True) for n in range(count)]
    add_item(meeting, secretary, "Woonagenda")
    meeting.publish(by=secretary)
    return secrets


def test_a_member_opening_a_meeting_page_is_recorded_once_per_confidential_item(
    meeting, body_secretary, member, client_for
):
    secrets = published_with_secrets(meeting, body_secretary, 2)
    response = client_for(member).get(reverse("meeting_detail", args=[meeting.pk]))
    assert SECRET_TITLE in response.content.decode()
    events = AuditEvent.objects.filter(kind=Kind.VIEWED_CONFIDENTIAL)
    assert sorted(events.values_list("object_id", flat=True)) == sorted(str(s.pk) for s in secrets)
    assert {e.user for e in events} == {member}
    assert {e.object_type.model for e in events} == {"agendaitem"}
    assert all(e.detail == {"page": "meeting", "meeting": meeting.pk} for e in events)
    assert SECRET_TITLE not in everything_recorded()


def test_an_advisory_member_sees_no_confidential_item_and_nothing_is_recorded(
    meeting, body_secretary, advisory_member, client_for
):
    published_with_secrets(meeting, body_secretary, 1)
    response = client_for(advisory_member).get(reverse("meeting_detail", args=[meeting.pk]))
    assert SECRET_TITLE not in response.content.decode()
    assert not AuditEvent.objects.filter(kind=Kind.VIEWED_CONFIDENTIAL).exists()


def test_recording_the_views_does_not_make_the_meeting_page_ask_more_with_more_secrets(
    region, body_secretary, member, client_for
):
    counts = []
    for n in (1, 6):
        meeting = Meeting.for_body(region.secretaries, timezone.now() + datetime.timedelta(days=20 + n))
        meeting.save()
        published_with_secrets(meeting, body_secretary, n)
        client = client_for(member)
        client.get(reverse("meeting_detail", args=[meeting.pk]))  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("meeting_detail", args=[meeting.pk]))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def upload(client, item, title="Notitie"):
    response = client.post(reverse("document_upload", args=[item.pk]), {"title": title, "file": pdf_file()})
    assert response.status_code == 302
    return DocumentVersion.objects.filter(document__item=item).latest("pk")


def test_downloading_a_document_of_a_draft_agenda_is_recorded(meeting, body_secretary, client_for):
    client = client_for(body_secretary)
    item = add_item(meeting, body_secretary, "Woonagenda")
    version = upload(client, item, title="Concept woonagenda")
    assert client.get(reverse("document_download", args=[version.pk])).status_code == 200
    event = AuditEvent.objects.get(kind=Kind.DOWNLOADED_DRAFT)
    assert (event.user, event.object_type.model) == (body_secretary, "document")
    assert event.object_id == str(version.document_id)
    assert event.detail == {"item": item.pk, "meeting": meeting.pk, "version": 1}
    assert not AuditEvent.objects.filter(kind=Kind.VIEWED_CONFIDENTIAL).exists()
    assert "Concept woonagenda" not in everything_recorded()


def test_downloading_a_confidential_document_of_a_published_agenda_is_recorded(
    meeting, body_secretary, member, client_for
):
    secret = add_item(meeting, body_secretary, SECRET_TITLE, confidential=True)
    version = upload(client_for(body_secretary), secret, title=SECRET_TITLE)
    meeting.publish(by=body_secretary)
    assert client_for(member).get(reverse("document_download", args=[version.pk])).status_code == 200
    event = AuditEvent.objects.get(kind=Kind.VIEWED_CONFIDENTIAL, user=member)
    assert event.object_id == str(version.document_id) and event.detail["page"] == "file"
    assert not AuditEvent.objects.filter(kind=Kind.DOWNLOADED_DRAFT).exists()


def test_a_document_of_a_published_public_item_is_not_an_event(meeting, body_secretary, member, client_for):
    item = add_item(meeting, body_secretary, "Woonagenda")
    version = upload(client_for(body_secretary), item)
    meeting.publish(by=body_secretary)
    client = client_for(member)
    assert client.get(reverse("document_download", args=[version.pk])).status_code == 200
    assert not AuditEvent.objects.exclude(kind=Kind.LOGIN).exists()


# The export.


def test_the_coordinator_exports_a_period_as_csv_for_dutch_excel(coordinator, client_for):
    now = timezone.now()
    inside = AuditEvent.objects.create(
        kind=Kind.LOGIN_FAILED,
        username="anna",
        ip_address="192.0.2.7",
        user_agent="Firefox",
        detail={"stage": "password"},
        at=now - datetime.timedelta(days=3),
    )
    AuditEvent.objects.create(kind=Kind.LOGIN, username="oud", at=now - datetime.timedelta(days=40))
    today = timezone.localdate()
    response = export(client_for(coordinator), today - datetime.timedelta(days=7), today)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert hasattr(response, "streaming_content")
    rows = read_csv(response)
    assert len(rows[0]) == 8
    body = [row for row in rows[1:] if row[2] == "anna"]
    assert len(body) == 1
    when, kind, _name, address, browser, object_type, object_id, detail = body[0]
    assert datetime.datetime.fromisoformat(when) == inside.at.replace(microsecond=0)
    assert when.endswith(("+01:00", "+02:00"))  # Europe/Amsterdam
    with translation.override("nl"):
        assert kind == str(Kind.LOGIN_FAILED.label)
    assert (address, browser, object_type, object_id) == ("192.0.2.7", "Firefox", "", "")
    assert json.loads(detail) == {"stage": "password"}
    assert "oud" not in [row[2] for row in rows]


def test_the_export_is_itself_recorded_with_its_period(coordinator, client_for):
    today = timezone.localdate()
    export(client_for(coordinator), today - datetime.timedelta(days=1), today)
    event = AuditEvent.objects.get(kind=Kind.EXPORTED)
    assert event.user == coordinator
    assert event.detail == {"date_from": str(today - datetime.timedelta(days=1)), "date_to": str(today)}


def test_a_typed_user_name_cannot_become_a_spreadsheet_formula(coordinator, client_for):
    AuditEvent.objects.create(kind=Kind.LOGIN_FAILED, username='=HYPERLINK("http://x","klik")')
    today = timezone.localdate()
    rows = read_csv(export(client_for(coordinator), today, today))
    names = [row[2] for row in rows[1:]]
    assert '\'=HYPERLINK("http://x","klik")' in names
    assert not any(name.startswith("=") for name in names)


def test_no_confidential_title_reaches_the_export(meeting, body_secretary, member, coordinator, client_for):
    secret = add_item(meeting, body_secretary, SECRET_TITLE, confidential=True)
    version = upload(client_for(body_secretary), secret, title=SECRET_TITLE)
    meeting.publish(by=body_secretary)
    client_for(member).get(reverse("meeting_detail", args=[meeting.pk]))
    client_for(member).get(reverse("document_download", args=[version.pk]))
    today = timezone.localdate()
    response = export(client_for(coordinator), today, today)
    text = b"".join(response.streaming_content).decode()
    assert str(secret.pk) in text and "viewed_confidential" not in text
    assert SECRET_TITLE not in text
    assert SECRET_TITLE not in everything_recorded()


@pytest.mark.parametrize(
    ("date_from", "date_to"),
    [
        ("2026-03-10", "2026-03-01"),  # the end before the start
        ("2025-01-01", "2026-03-01"),  # more than 366 days
        ("", "2026-03-01"),
        ("gisteren", "2026-03-01"),
        ("2026-02-30", "2026-03-01"),
        ("99999-01-01", "2026-03-01"),
    ],
)
def test_a_wrong_period_is_refused_with_a_message_and_nothing_is_exported(coordinator, client_for, date_from, date_to):
    response = export(client_for(coordinator), date_from, date_to)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert 'class="errorlist' in response.content.decode() or 'class="errornote' in response.content.decode()
    assert not AuditEvent.objects.filter(kind=Kind.EXPORTED).exists()


def test_exactly_the_longest_period_is_allowed(coordinator, client_for, settings):
    today = timezone.localdate()
    first = today - datetime.timedelta(days=settings.AUDIT_EXPORT_MAX_DAYS - 1)
    assert export(client_for(coordinator), first, today).status_code == 200


def test_only_the_management_site_exports(secretary, client_for, client):
    today = timezone.localdate()
    assert export(client_for(secretary), today, today).status_code == 403
    assert client_for(secretary).get(reverse("admin:audit_auditevent_changelist")).status_code == 403
    anonymous = export(client, today, today)
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]
    assert not AuditEvent.objects.filter(kind=Kind.EXPORTED).exists()


def test_the_coordinator_reads_the_trail_but_cannot_change_it(coordinator, client_for):
    event = record(Kind.LOGIN_FAILED, username="anna", stage="password")
    client = client_for(coordinator)
    assert reverse("admin:audit_auditevent_changelist") in client.get(reverse("admin:index")).content.decode()
    form = client.get(reverse("admin:audit_auditevent_export"))
    assert form.status_code == 200 and 'name="date_from"' in form.content.decode()
    listing = client.get(reverse("admin:audit_auditevent_changelist"), {"q": "anna"})
    assert listing.status_code == 200
    assert reverse("admin:audit_auditevent_export") in listing.content.decode()
    assert "anna" in listing.content.decode()
    assert client.get(reverse("admin:audit_auditevent_changelist"), {"kind__exact": "login"}).status_code == 200
    detail = client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_change", args=[event.pk]), {"username": "x"}).status_code == 403
    event.refresh_from_db()
    assert event.username == "anna"


# Retention.


def test_pruning_removes_what_is_older_than_the_retention_and_keeps_the_rest(settings, monkeypatch):
    settings.AUDIT_RETENTION_DAYS = 30
    monkeypatch.setattr(tasks, "BATCH", 2)  # several batches
    now = timezone.now()
    old = [AuditEvent.objects.create(kind=Kind.LOGIN, at=now - datetime.timedelta(days=31)) for _ in range(5)]
    recent = AuditEvent.objects.create(kind=Kind.LOGIN, at=now - datetime.timedelta(days=29))
    attempt = AccessAttempt.objects.create(username="anna", ip_address="192.0.2.7", failures_since_start=1)
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=now - datetime.timedelta(days=31))
    fresh_attempt = AccessAttempt.objects.create(username="bram", ip_address="192.0.2.8", failures_since_start=1)
    result = tasks.prune_audit_trail()
    assert result["audit events"] == len(old) and result["axes attempts"] == 1
    assert list(AuditEvent.objects.all()) == [recent]
    assert list(AccessAttempt.objects.all()) == [fresh_attempt]
    # Twice is the same as once.
    assert set(tasks.prune_audit_trail().values()) == {0}
    assert list(AuditEvent.objects.all()) == [recent]


def test_the_pruning_runs_nightly_outside_the_daylight_saving_hour_on_the_sweeps_queue():
    task = PeriodicTask.objects.get(task="audit.tasks.prune_audit_trail")
    assert task.enabled and task.interval is None
    assert task.crontab.hour not in ("*", "2") and task.crontab.day_of_week == "*"
    assert str(task.crontab.timezone) == "Europe/Amsterdam"
    app.loader.import_default_modules()
    assert app.amqp.router.route({}, "audit.tasks.prune_audit_trail")["queue"].name == "sweeps"
