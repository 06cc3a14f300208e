import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("regioportaal", task_cls="core.taskbase:PortalTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# One queue per kind of work, so that a burst of one kind never delays another:
# a hundred PDFs after a busy meeting do not hold up a reminder. A worker started
# without -Q consumes all four; in production each kind has its own worker
# (docker-compose.yml, docs/production.md "Queues").
app.conf.task_default_queue = "celery"
app.conf.task_queues = [Queue("celery"), Queue("pdf"), Queue("mail"), Queue("sweeps")]
app.conf.task_routes = {
    # Rendering a PDF takes seconds and memory.
    "meetings.tasks.render_agenda_pdf": {"queue": "pdf"},
    "meetings.tasks.render_minutes_pdf": {"queue": "pdf"},
    "decisions.tasks.render_decision_pdf": {"queue": "pdf"},
    "publication.tasks.render_publication_pdf": {"queue": "pdf"},
    # Reading the text of an uploaded document takes seconds and memory too.
    "search.tasks.extract_document_text": {"queue": "pdf"},
    # Reminders and digests: the dispatcher runs every minute and queues the sends.
    "reminders.tasks.dispatch_due_reminders": {"queue": "mail"},
    "reminders.tasks.send_reminder": {"queue": "mail"},
    "reminders.tasks.send_reminders": {"queue": "mail"},
    "reminders.tasks.send_digests": {"queue": "mail"},
    # Periodic passes over many rows; they queue work, but none is urgent itself.
    "reminders.tasks.return_stuck_reminders": {"queue": "sweeps"},
    "reminders.tasks.plan_reminders": {"queue": "sweeps"},
    "meetings.tasks.render_missing_pdfs": {"queue": "sweeps"},
    "meetings.tasks.open_monthly_evaluations": {"queue": "sweeps"},
    "decisions.tasks.render_missing_pdfs": {"queue": "sweeps"},
    "governance.tasks.sync_access": {"queue": "sweeps"},
    # The account life-cycle: the reset link and the notice are mail; the daily pass over unused accounts a sweep.
    "accounts.tasks.send_password_reset_mail": {"queue": "mail"},
    "accounts.tasks.send_deactivation_notice": {"queue": "mail"},
    "accounts.tasks.deactivate_unused_accounts": {"queue": "sweeps"},
    "accounts.tasks.clear_expired_sessions": {"queue": "sweeps"},
    "audit.tasks.prune_audit_trail": {"queue": "sweeps"},
    # The councils' meeting dates, read from their own systems at night: slow outside sources, never urgent.
    "municipalities.tasks.import_all_council_dates": {"queue": "sweeps"},
    "municipalities.tasks.import_council_dates": {"queue": "sweeps"},
    "covenant.tasks.plan_evaluations": {"queue": "sweeps"},
}
