import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from meetings.models import Document, DocumentVersion
from tests.meetings.conftest import add_items, docx_file, pdf_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(meeting, secretary):
    return add_items(meeting, secretary, 1)[0]


def upload(client, item, file, title=""):
    return client.post(reverse("document_upload", args=[item.pk]), {"title": title, "file": file})


def test_a_pdf_is_stored_under_a_safe_name_and_downloaded_as_an_attachment(item, secretary, client_for):
    client = client_for(secretary)
    response = upload(client, item, pdf_file("Notitie woonagenda.pdf"), title="Notitie")
    assert response.status_code == 302
    version = DocumentVersion.objects.get()
    assert version.original_name == "Notitie woonagenda.pdf"
    assert "woonagenda" not in version.file.name and version.file.name.endswith(".pdf")
    assert version.content_type == "application/pdf" and len(version.sha256) == 64
    download = client.get(reverse("document_download", args=[version.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Notitie woonagenda.pdf" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_office_documents_are_recognised_by_content(item, secretary, client_for):
    assert upload(client_for(secretary), item, docx_file()).status_code == 302
    assert DocumentVersion.objects.get().original_name == "voorstel.docx"


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (
            SimpleUploadedFile("script.exe", b"MZ\x90\x00" + b"\x00" * 200),
            "Bestanden van dit type (.exe) zijn niet toegestaan",
        ),
        (SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00" + b"\x00" * 200), "De inhoud van rapport.pdf past niet"),
        (SimpleUploadedFile("foto.png", b"%PDF-1.4\n%%EOF"), "De inhoud van foto.png past niet"),
        (SimpleUploadedFile(".htaccess", b"deny from all"), "De bestandsnaam moet een gewone naam zijn"),
        (SimpleUploadedFile("leeg", b"abc"), "Bestanden van dit type (zonder extensie) zijn niet toegestaan"),
    ],
)
def test_wrong_or_disguised_uploads_are_refused_with_a_clear_message(item, secretary, client_for, file, message):
    response = upload(client_for(secretary), item, file)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Document.objects.exists()


def test_an_oversize_upload_is_refused(item, secretary, client_for, settings):
    settings.MAX_UPLOAD_MEGABYTES = 1
    response = upload(client_for(secretary), item, pdf_file(size=1_200_000))
    assert response.status_code == 400
    assert "Het bestand is 1,1 MB; het maximum is 1 MB." in response.content.decode()
    assert not Document.objects.exists()


def test_a_path_in_the_name_never_reaches_the_storage(item, secretary, client_for):
    # Django strips folders from uploaded names before the form sees them; the
    # stored name is random in any case.
    upload(client_for(secretary), item, pdf_file("../../etc/notitie.pdf"))
    version = DocumentVersion.objects.get()
    assert version.original_name == "notitie.pdf"
    assert ".." not in version.file.name and version.file.name.startswith("documents/")


def test_a_new_version_keeps_the_old_one(item, secretary, client_for):
    client = client_for(secretary)
    upload(client, item, pdf_file("v1.pdf"), title="Notitie")
    document = Document.objects.get()
    response = client.post(reverse("document_replace", args=[document.pk]), {"file": pdf_file("v2.pdf", size=10)})
    assert response.status_code == 302
    assert [(v.number, v.original_name) for v in document.versions.all()] == [(1, "v1.pdf"), (2, "v2.pdf")]
    assert document.current.original_name == "v2.pdf"
    first = document.versions.get(number=1)
    assert client.get(reverse("document_download", args=[first.pk])).status_code == 200


def test_a_document_after_the_deadline_is_marked_late(meeting, item, secretary, client_for):
    meeting.documents_deadline = timezone.now() - datetime.timedelta(hours=1)
    meeting.save()
    client = client_for(secretary)
    upload(client, item, pdf_file())
    assert DocumentVersion.objects.get().is_late
    page = client.get(reverse("meeting_agenda", args=[meeting.pk])).content.decode()
    assert "te laat" in page


def test_outsiders_cannot_download(item, secretary, outsider, client_for):
    upload(client_for(secretary), item, pdf_file())
    version = DocumentVersion.objects.get()
    assert client_for(outsider).get(reverse("document_download", args=[version.pk])).status_code == 404


def test_members_cannot_download_documents_of_a_draft_agenda(region, meeting, item, secretary, client_for):
    from governance.models import Membership

    upload(client_for(secretary), item, pdf_file())
    version = DocumentVersion.objects.get()
    member = client_for(region.seat(region.secretaries, Membership.Role.MEMBER))
    assert member.get(reverse("document_download", args=[version.pk])).status_code == 404
    meeting.publish(by=secretary)
    assert member.get(reverse("document_download", args=[version.pk])).status_code == 200
