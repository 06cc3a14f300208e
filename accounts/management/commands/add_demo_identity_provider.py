"""Adds the demo's organisation log-in: Gemeente Haarlem through the local test provider (`make oidc-provider`)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import IdentityProvider
from municipalities.models import Municipality, Office


class Command(BaseCommand):
    help = "Add the demo identity provider of Haarlem (local test provider); prints the demo secretary's e-mail."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--secret", required=True, help="the client secret the test provider was given")
        parser.add_argument("--provider-url", default="http://127.0.0.1:8090")
        parser.add_argument("--client-id", default="regioportaal-demo")

    def handle(self, *args, secret: str, provider_url: str, client_id: str, **options) -> None:
        # A provider on plain http with a secret from the command line belongs on a laptop only.
        if not settings.DEBUG:
            raise CommandError("The demo identity provider is for local development only (DEBUG is off).")
        haarlem = Municipality.objects.filter(name="Haarlem").first()
        secretary = (
            Office.objects.current()
            .filter(role=Office.Role.MUNICIPAL_SECRETARY, municipality=haarlem)
            .select_related("person")
            .first()
        )
        if haarlem is None or secretary is None:
            raise CommandError("No demo region: run `make demo` (manage.py load_demo) first.")
        email = secretary.person.email
        IdentityProvider.objects.update_or_create(
            slug="haarlem",
            defaults={
                "name": "Gemeente Haarlem",
                "municipality": haarlem,
                "enabled": True,
                "issuer": f"{provider_url.rstrip('/')}/o",
                "discovery_url": "",
                "client_id": client_id,
                "client_secret": secret,
                "allowed_domains": email.rsplit("@", 1)[1],
                "require_verified_email": True,
                # A new provider process has new keys and may have another address: read it afresh.
                "configuration": {},
                "configuration_read_at": None,
            },
        )
        self.stderr.write(f"Organisation log-in: 'Gemeente Haarlem' for {secretary.person} <{email}>.")
        self.stdout.write(email)
