"""Two people upload a new version of one document at the same moment: each gets its own number, neither gets
an error page, no version is lost. Needs PostgreSQL (real row locks and parallel connections)."""

import datetime
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from governance.models import Membership
from meetings.models import Document, DocumentVersion, Meeting
from tests.meetings.conftest import Region, add_items, pdf_file

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections need PostgreSQL"),
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def document():
    region = Region()
    secretary = region.seat(region.secretaries, Membership.Role.SECRETARY)
    meeting = Meeting.for_body(region.secretaries, timezone.now() + datetime.timedelta(days=21))
    meeting.save()
    item = add_items(meeting, secretary, 1)[0]
    document = Document.objects.create(item=item, title="Notitie")
    document.add_version(pdf_file(), by=secretary, content_type="application/pdf")
    return document, secretary, region


class SlowPdf(SimpleUploadedFile):
    """A PDF whose storing takes a moment, as a large file does: the time between counting the versions and
    writing the new one in which a second upload used to take the same number."""

    def chunks(self, chunk_size=None):
        time.sleep(0.3)
        yield from super().chunks(chunk_size)


def in_parallel(count: int, step) -> tuple[list, list]:
    """Runs `step(n)` in `count` threads that start together; each thread has its own database connection."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(n: int) -> None:
        try:
            barrier.wait()
            results.append(step(n))
        except Exception as error:  # the test reports whatever a thread ran into
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_two_new_versions_at_the_same_moment_get_their_own_numbers(document):
    document, secretary, _ = document

    def upload(n: int) -> int:
        content = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n" + str(n).encode()
        with transaction.atomic():  # as the upload views do
            version = Document.objects.get(pk=document.pk).add_version(
                SlowPdf(f"versie-{n}.pdf", content), by=secretary, content_type="application/pdf"
            )
        return version.number

    numbers, errors = in_parallel(3, upload)
    assert errors == []
    assert sorted(numbers) == [2, 3, 4]
    assert sorted(document.versions.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert DocumentVersion.objects.filter(original_name__startswith="versie-").count() == 3


def test_two_people_replacing_a_document_through_the_page_both_succeed(document, client_for):
    document, secretary, region = document
    other = region.seat(region.secretaries, Membership.Role.SECRETARY)

    def replace(n: int) -> int:
        client = client_for([secretary, other][n])
        response = client.post(reverse("document_replace", args=[document.pk]), {"file": pdf_file(f"nieuw-{n}.pdf")})
        return response.status_code

    statuses, errors = in_parallel(2, replace)
    assert errors == [] and statuses == [302, 302]
    versions = list(document.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3]
    assert {v.original_name for v in versions[1:]} == {"nieuw-0.pdf", "nieuw-1.pdf"}
