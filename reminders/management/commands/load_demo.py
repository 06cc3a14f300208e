import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from arrangements.demo import load_arrangements
from decisions.demo import load_proposals
from governance import demo
from meetings.actions import open_monthly_evaluations
from meetings.demo import load_meetings, load_minutes
from publication.demo import load_publications
from reminders.models import Reminder
from reminders.planning import plan_all


class Command(BaseCommand):
    help = "Loads the demo region Kennemerland with invented people and one log-in per role (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD", "regio-demo"),
            help="Password of every demo log-in (default: $DEMO_PASSWORD or 'regio-demo').",
        )
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Load even with DEBUG off (e.g. a demo server). Never on a real portal.",
        )

    def handle(self, *args, password: str, allow_without_debug: bool, **options) -> None:
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "DEBUG is off: the demo region adds log-ins with a known password. "
                "Use --allow-without-debug only on a demo server."
            )
        region = demo.load(password)
        load_meetings(region)
        load_minutes(region)
        load_proposals(region)
        publications = load_publications(region)
        arrangements = load_arrangements(region)
        evaluations = open_monthly_evaluations()
        plan_all()
        pending = Reminder.objects.filter(status=Reminder.Status.PENDING)
        planned, due = pending.count(), pending.due().count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo region loaded: {len(region.municipalities)} municipalities, "
                f"{len(region.cooperations)} cooperations, {len(region.bodies)} bodies, "
                f"{len(region.people)} people, the next meetings of each body and regional proposals in every state; "
                f"{publications} Woo publications on /openbaar/; {len(arrangements)} joint arrangements; "
                f"{len(evaluations)} monthly evaluation(s) opened; {planned} reminders planned, of which {due} are "
                "due now and go out within a minute once the worker and beat run."
            )
        )
        self.stdout.write(f"Demo log-ins (password: {password}):")
        for username, name, description in region.logins:
            self.stdout.write(f"  {username:<15} {name:<28} {description}")
        self.stdout.write(
            "  and burgemeester-<gemeente> / secretaris-<gemeente> / griffier-<gemeente> for every other municipality"
        )
