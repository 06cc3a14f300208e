"""Reads the stored files of document versions and publications that have no SHA-512 yet (stored before it
was kept) and records it, a batch at a time; a file that is missing is reported and left."""

import hashlib

from django.core.management.base import BaseCommand

from meetings.models import DocumentVersion
from publication.models import Publication


class Command(BaseCommand):
    help = "Records the SHA-512 of stored documents and publication PDFs that do not have one yet."

    def handle(self, *args, **options) -> None:
        for model in (DocumentVersion, Publication):
            done = missing = 0
            for row in model.objects.filter(sha512="").exclude(file="").only("pk", "file").iterator(chunk_size=500):
                digest = hashlib.sha512()
                try:
                    with row.file.open("rb") as handle:
                        for chunk in iter(lambda: handle.read(1 << 20), b""):
                            digest.update(chunk)
                except OSError as error:
                    missing += 1
                    self.stderr.write(f"{model._meta.label} {row.pk}: {error}")
                    continue
                model.objects.filter(pk=row.pk).update(sha512=digest.hexdigest())
                done += 1
            self.stdout.write(f"{model._meta.label}: {done} recorded, {missing} files missing")
