"""Versions stored before the SHA-512 was kept get it from their file; a missing file is reported, not fatal."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command

from meetings.models import Document, DocumentVersion
from tests.meetings.conftest import add_items, pdf_file

pytestmark = pytest.mark.django_db


def test_fill_sha512_reads_the_stored_file_and_reports_a_missing_one(meeting, secretary, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    [item] = add_items(meeting, secretary, 1)
    document = Document.objects.create(item=item, title="Notitie")
    kept = document.add_version(pdf_file(), by=secretary, content_type="application/pdf")
    gone = document.add_version(pdf_file("weg.pdf"), by=secretary, content_type="application/pdf")
    assert kept.sha512 == hashlib.sha512(kept.file.open("rb").read()).hexdigest()  # kept at upload
    DocumentVersion.objects.update(sha512="")
    gone.file.storage.delete(gone.file.name)
    out, err = StringIO(), StringIO()
    call_command("fill_sha512", stdout=out, stderr=err)
    kept.refresh_from_db()
    assert kept.sha512 == hashlib.sha512(kept.file.open("rb").read()).hexdigest()
    assert DocumentVersion.objects.get(pk=gone.pk).sha512 == ""
    assert "1 recorded, 1 files missing" in out.getvalue() and f"{gone.pk}" in err.getvalue()
