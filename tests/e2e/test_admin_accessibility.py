"""The management site as the coordinator uses it: no WCAG 2.1 A/AA violations
(axe-core), and no page wider than the window at 1280 and 1024 pixels."""

import pytest
from django.urls import reverse

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def admin_pages() -> list[str]:
    from django_celery_beat.models import PeriodicTask

    from municipalities.models import Person

    person = Person.objects.filter(offices__isnull=False, user__isnull=True).first() or Person.objects.first()
    if not PeriodicTask.objects.filter(task="reminders.tasks.send_digests").exists():
        # A browser test runs on a transactional database, which is emptied after each test, schedules too.
        from importlib import import_module

        from django.apps import apps

        import_module("reminders.migrations.0002_default_schedules").create_schedules(apps, None)
    task = PeriodicTask.objects.get(task="reminders.tasks.send_digests")
    return [
        reverse("admin:index"),
        reverse("admin:municipalities_person_changelist"),
        reverse("admin:municipalities_person_change", args=[person.pk]),
        reverse("admin:municipalities_office_add"),
        reverse("admin:django_celery_beat_periodictask_changelist"),
        reverse("admin:django_celery_beat_periodictask_change", args=[task.pk]),
        reverse("admin:municipalities_person_invite", args=[person.pk]),
        reverse("admin:governance_cooperation_changelist"),
    ]


def test_the_admin_pages_pass_axe_and_fit_the_window(demo_region, page, assert_accessible, screenshot_of):
    log_in(page, "coordinator")
    for width in (1280, 1024):
        page.set_viewport_size({"width": width, "height": 900})
        for url in admin_pages():
            page.goto(url)
            page.wait_for_load_state("load")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (width, url)
            if width == 1280:
                assert_accessible(page)
        screenshot_of(page, f"admin-cooperations-{width}")


def test_the_password_page_of_an_invitation_passes_axe(demo_region, page, assert_accessible):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from municipalities import invitations
    from municipalities.models import Person

    person = Person.objects.filter(user__isnull=True).first()
    user, _created = invitations.create_login(person)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    page.goto(f"/uitnodiging/{uid}/{default_token_generator.make_token(user)}/")
    assert page.locator('input[name="new_password1"]').count() == 1
    assert_accessible(page)
    page.goto(f"/uitnodiging/{uid}/onjuist-token/")
    assert page.get_by_role("alert").count() == 1
    assert_accessible(page)
