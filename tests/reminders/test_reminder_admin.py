"""The reminder list of the admin site reads a page, not the table: the same queries with 5 or 150 rows."""

import pytest
from django.urls import reverse

from reminders.models import Reminder
from tests.reminders.test_sending_queries import due_reminders


@pytest.mark.parametrize("count", [5, 150])
def test_the_reminder_list_keeps_its_queries_however_many_reminders(
    region, admin_client, count, django_assert_max_num_queries
):
    due_reminders(region, count)
    assert Reminder.objects.count() >= count
    url = reverse("admin:reminders_reminder_changelist")
    with django_assert_max_num_queries(12):
        page = admin_client.get(url, {"status__exact": "pending", "q": "Naam"})
    assert page.status_code == 200
    with django_assert_max_num_queries(12):
        page = admin_client.get(url)
    assert page.status_code == 200 and "date_hierarchy" not in page.content.decode()
