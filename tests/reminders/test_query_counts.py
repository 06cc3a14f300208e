"""Query-count pins of the notification list and the operations page: the same count with 3 reminders as
with 30 (60 where the list is paginated at 50), never more than 25. The start page has its pin in
test_desk.py (5 or 500 things waiting)."""

import pytest
from django.urls import reverse

from reminders.models import Reminder, TaskRun
from tests.factories import PersonFactory
from tests.query_counts import pin
from tests.reminders.test_views import delivered

pytestmark = pytest.mark.django_db


def test_notification_list_pages(client_for):
    person = PersonFactory(with_login=True)
    page = pin(client_for(person.user), reverse("notification_list"), lambda n: delivered(person, n), sizes=(3, 60))
    assert page.count("over tijd") >= 50 and 'rel="next"' in page


def test_operations_status(coordinator, client_for):
    person = coordinator.person
    TaskRun.record("dispatch", "3 queued")

    def grow(count):
        failed = delivered(person, count)
        Reminder.objects.filter(pk__in=[r.pk for r in failed]).update(
            status=Reminder.Status.FAILED, note="SMTPServerDisconnected: weg"
        )

    page = pin(client_for(coordinator), reverse("operations_status"), grow)
    assert page.count("SMTPServerDisconnected: weg") == 30
