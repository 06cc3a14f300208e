"""`manage.py load_scale --factor F`: the national-scale dataset for the performance benchmark.

It lives beside load_demo in the reminders app, the one app that may import all the others; each app
generates its own part (municipalities/scale.py, governance/scale.py, meetings/scale.py,
decisions/scale.py, reminders/scale.py)."""

import os
import time

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from decisions import scale as decisions_scale
from governance import scale as governance_scale
from governance.access import sync_all_body_access
from governance.demo import MUNICIPALITIES as DEMO_MUNICIPALITIES
from meetings import scale as meetings_scale
from municipalities import scale as municipalities_scale
from municipalities.access import sync_all_municipality_access
from municipalities.models import Municipality, Person
from reminders import scale as reminders_scale

APPS = ["municipalities", "governance", "meetings", "decisions", "reminders", "auth", "guardian"]


class Command(BaseCommand):
    help = (
        "Loads a national-scale dataset on top of the demo region: 342 municipalities and, at factor 1, "
        "50,000 meetings, 500,000 agenda items, 100,000 documents, 20,000 proposals and 1,000,000 reminders. "
        "Runs once per database."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--factor", type=float, required=True, help="Volume: 1 is national scale.")
        parser.add_argument("--seed", type=int, default=342, help="The same seed gives the same data (default 342).")
        parser.add_argument(
            "--municipalities",
            type=int,
            default=342,
            help="Municipalities in all, the demo region's included (default 342; fewer for a quick test).",
        )
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD", "regio-demo"),
            help="Password of every generated log-in (default: $DEMO_PASSWORD or 'regio-demo').",
        )
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Load even with DEBUG off (a benchmark server). Never on a real portal.",
        )

    def handle(self, *args, factor: float, seed: int, municipalities: int, password: str, **options) -> None:
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                "DEBUG is off: the scale dataset adds log-ins with a known password. "
                "Use --allow-without-debug only on a benchmark server."
            )
        if factor <= 0:
            raise CommandError("The factor must be above 0 (1 is national scale).")
        demo_codes = {code for _name, code, _site in DEMO_MUNICIPALITIES}
        others = Municipality.objects.exclude(cbs_code__in=demo_codes)
        if others.exists():
            raise CommandError(
                f"This database already holds {others.count()} municipalities besides the demo region: "
                "load_scale runs once, on a database with only the demo region (or an empty one). "
                "Use a fresh database."
            )
        # The demo region is the real region's municipalities: what tells it from a real portal is its people,
        # whose addresses all end in .example (governance/demo.py). Generated reminders would mail real ones.
        real = Person.objects.exclude(email__endswith=".example").exclude(email="")
        if real.exists():
            raise CommandError(
                f"This database holds {real.count()} people with a real e-mail address: it is not a demo "
                "database. load_scale adds log-ins and due reminders; use a fresh database."
            )
        if not Municipality.objects.exists():
            self.stdout.write("No demo region yet: loading it first.")
            call_command("load_demo", password=password, allow_without_debug=True, stdout=self.stdout)

        started = time.monotonic()
        ctx = municipalities_scale.new_scale(seed=seed, factor=factor, municipalities=municipalities, password=password)
        User = get_user_model()
        coordinator = User.objects.filter(username="coordinator").first() or User.objects.order_by("pk").first()
        ctx.extra["coordinator_user"] = coordinator.pk
        steps = [
            ("municipalities and people", municipalities_scale.load_municipalities),
            ("cooperations and bodies", governance_scale.load_cooperations),
            ("work programmes and evaluations", governance_scale.load_work),
            ("proposals planned", decisions_scale.plan_proposals),
            ("meetings, agendas, minutes, documents", meetings_scale.load_meetings),
            ("proposals and decisions", decisions_scale.load_proposals),
            ("reminders", reminders_scale.load_reminders),
        ]
        with transaction.atomic():
            for label, step in steps:
                began = time.monotonic()
                step(ctx)
                self.stdout.write(f"  {label:<40} {time.monotonic() - began:7.1f} s")
            municipalities_scale.reset_sequences(list(ctx.rows))
            began = time.monotonic()
            sync_all_municipality_access()
            sync_all_body_access()
            self.stdout.write(f"  {'permission groups':<40} {time.monotonic() - began:7.1f} s")
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale dataset loaded (factor {factor}, seed {seed}) in {time.monotonic() - started:.0f} s."
            )
        )
        self.summary()

    def summary(self) -> None:
        self.stdout.write(f"{'model':<45} {'rows':>10}")
        for label in APPS:
            for model in apps.get_app_config(label).get_models():
                if model.__name__.startswith("Historical"):
                    continue
                self.stdout.write(f"{model._meta.label:<45} {model.objects.count():>10,}")
