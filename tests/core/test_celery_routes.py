import pytest

from config.celery import app

QUEUES = {
    "meetings.tasks.render_agenda_pdf": "pdf",
    "meetings.tasks.render_minutes_pdf": "pdf",
    "decisions.tasks.render_decision_pdf": "pdf",
    "reminders.tasks.dispatch_due_reminders": "mail",
    "reminders.tasks.send_reminder": "mail",
    "reminders.tasks.send_reminders": "mail",
    "reminders.tasks.send_digests": "mail",
    "reminders.tasks.return_stuck_reminders": "sweeps",
    "reminders.tasks.plan_reminders": "sweeps",
    "meetings.tasks.render_missing_pdfs": "sweeps",
    "meetings.tasks.open_monthly_evaluations": "sweeps",
    "decisions.tasks.render_missing_pdfs": "sweeps",
    "governance.tasks.sync_access": "sweeps",
    "accounts.tasks.send_password_reset_mail": "mail",
    "accounts.tasks.send_deactivation_notice": "mail",
    "accounts.tasks.deactivate_unused_accounts": "sweeps",
    "accounts.tasks.clear_expired_sessions": "sweeps",
    "audit.tasks.prune_audit_trail": "sweeps",
    "municipalities.tasks.import_all_council_dates": "sweeps",
    "municipalities.tasks.import_council_dates": "sweeps",
    "covenant.tasks.plan_evaluations": "sweeps",
}


def queue_of(name: str) -> str:
    """The queue a message for this task is published to, as `apply_async` resolves it."""
    return app.amqp.router.route({}, name)["queue"].name


@pytest.mark.parametrize(("task", "queue"), QUEUES.items())
def test_each_task_goes_to_the_queue_of_its_kind(task, queue):
    app.loader.import_default_modules()
    assert task in app.tasks
    assert queue_of(task) == queue


def test_a_task_without_a_route_goes_to_the_default_queue():
    assert queue_of("celery.backend_cleanup") == "celery"


def test_a_worker_started_without_q_consumes_every_queue():
    assert set(app.amqp.queues) == {"celery", "pdf", "mail", "sweeps"}


def test_the_schedules_send_to_the_routed_queues(db):
    """The rows of django-celery-beat name no queue, so the routes above decide."""
    from django_celery_beat.models import PeriodicTask

    scheduled = PeriodicTask.objects.exclude(task__startswith="celery.")
    assert scheduled.exists()
    for task in scheduled:
        assert not task.queue, task.name
        assert task.task in QUEUES, task.task


def test_every_task_of_the_portal_has_a_queue_of_its_kind():
    """A new task is given a queue in config/celery.py; otherwise it would wait behind whatever the
    default queue holds."""
    app.loader.import_default_modules()
    ours = {name for name in app.tasks if not name.startswith("celery.")}
    assert ours - set(app.conf.task_routes) == set()
