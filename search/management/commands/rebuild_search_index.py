from django.core.management.base import BaseCommand

from search.index import rebuild


class Command(BaseCommand):
    help = "Builds the full-text search index again from every meeting, item, document, proposal and decision."

    def handle(self, *args, **options) -> None:
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {rebuild()} entries."))
