"""Every PDF the portal publishes is tagged, in Dutch, with its title and a structure tree; what is archived
is PDF/A-3a, the rest PDF/UA-1 (docs/adr/0015-accessible-pdfs.md). Read back from the bytes with pypdf."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from governance.models import ProgressReport
from publication.models import Publication
from publication.tasks import render_publication_pdf
from tests.factories import RegionalTaskFactory

pytestmark = pytest.mark.django_db
Kind = Publication.Kind


def structure_names(node, seen=None) -> set[str]:
    """The structure types (/S) in the tagged PDF's structure tree."""
    seen = set() if seen is None else seen
    node = node.get_object()
    if isinstance(node, dict) or hasattr(node, "get"):
        if "/S" in node:
            seen.add(str(node["/S"]))
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, list) else [kids]:
                if hasattr(kid, "get_object") and hasattr(kid.get_object(), "get"):
                    structure_names(kid, seen)
    return seen


def read(content: bytes) -> tuple[PdfReader, dict, bytes]:
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    xmp = reader.xmp_metadata.stream.get_data() if reader.xmp_metadata else b""
    return reader, root, xmp


@pytest.fixture
def published(world, client_for):
    world.send_agenda()
    secretary = client_for(world.secretary)
    secretary.post(reverse("publish", args=[Kind.AGENDA, world.meeting.pk]))
    minutes = world.adopted_minutes()
    secretary.post(reverse("publish", args=[Kind.DECISION_LIST, world.meeting.pk]))
    secretary.post(reverse("publish", args=[Kind.MINUTES, minutes.pk]))
    decision = world.final_decision("Haarlem")
    client_for(world.secretaries["Haarlem"]).post(reverse("publish", args=[Kind.COLLEGE_DECISION, decision.pk]))
    programme = world.adopted_programme()
    ProgressReport.objects.create(programme=programme, task=RegionalTaskFactory(cooperation=world.cooperation))
    coordinator = client_for(world.coordinator)
    coordinator.post(reverse("publish", args=[Kind.WORK_PROGRAMME, programme.pk]))
    coordinator.post(reverse("publish", args=[Kind.PROGRESS_REPORT, programme.pk]))
    return {p.kind: p for p in Publication.objects.exclude(kind=Kind.COVENANT)}


TITLES = {
    Kind.AGENDA: "Agenda Coördinatieoverleg",
    Kind.DECISION_LIST: "Besluitenlijst Coördinatieoverleg",
    Kind.MINUTES: "Verslag Coördinatieoverleg",
    Kind.COLLEGE_DECISION: "Collegebesluit Haarlem",
    Kind.WORK_PROGRAMME: "Werkprogramma Zuid-Kennemerland 2027",
    Kind.PROGRESS_REPORT: "Voortgangsrapportage Zuid-Kennemerland 2027",
}


def test_every_published_pdf_is_tagged_with_language_title_and_structure(published):
    assert set(published) == set(TITLES)
    for kind, publication in published.items():
        render_publication_pdf(publication.pk)
        publication.refresh_from_db()
        content = publication.file.read()
        reader, root, xmp = read(content)
        assert root["/MarkInfo"]["/Marked"], kind
        assert root["/Lang"] == "nl", kind
        assert reader.metadata.title.startswith(TITLES[kind]), (kind, reader.metadata.title)
        assert root["/ViewerPreferences"]["/DisplayDocTitle"], kind
        names = structure_names(root["/StructTreeRoot"])
        assert "/H1" in names and "/P" in names, (kind, names)
        if kind == Kind.AGENDA:
            assert b"pdfaid:part" not in xmp  # PDF/UA-1: read, then replaced by the next version
        else:
            assert b'pdfaid:part="3"' in xmp or b"<pdfaid:part>3</pdfaid:part>" in xmp, kind
            assert b"A" in xmp.split(b"pdfaid:conformance")[1][:8], kind
        # Rendering twice keeps the first file (the PDF as published).
        assert render_publication_pdf(publication.pk) is None


def test_the_public_agenda_pdf_leaves_out_confidential_items_and_withheld_documents(published):
    publication = published[Kind.AGENDA]
    render_publication_pdf(publication.pk)
    publication.refresh_from_db()
    text = " ".join(page.extract_text() for page in PdfReader(publication.file.open("rb")).pages)
    assert "Regionale woonagenda" in text and "Woonagenda 2027" in text
    assert "Grondaankoop" not in text and "Taxatierapport" not in text and "grondprijs" not in text
