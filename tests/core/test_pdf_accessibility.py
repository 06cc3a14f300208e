"""Every PDF the portal sends or publishes is a tagged PDF/UA-1 file in Dutch, with its title and a structure
tree; what is archived is PDF/A-3a as well (docs/adr/0015-accessible-pdfs.md). Each kind is made by the code
that makes it in the portal, and read back from its bytes with pypdf."""

import datetime
import io
import itertools
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from core.pdf import render_pdf
from decisions.models import CollegeDecision, DecisionPdf
from decisions.tasks import render_decision_pdf
from governance.models import ConsultationBody, Membership, ProgressReport, WorkProgramme, WorkProgrammeEntry
from meetings.minutes_views import _ensure_minutes
from meetings.models import ActionPoint, AgendaPdf, Meeting, MinutesPdf, Purpose
from meetings.tasks import agenda_pdf_context, render_agenda_pdf, render_minutes_pdf
from tests.decisions.conftest import Covenant
from tests.factories import ConsultationBodyFactory, MembershipFactory, PersonFactory, RegionalTaskFactory

pytestmark = pytest.mark.django_db
D = datetime.date
XMP = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
}


@dataclass
class Pdf:
    """What a reader of the bytes finds: the catalog, the document information, the XMP packet, and the
    structure tree's elements in reading order."""

    reader: PdfReader
    catalog: dict
    xmp: ET.Element
    structure: list
    in_tree: set  # the object numbers of the structure elements

    @property
    def info(self):
        return self.reader.metadata

    @property
    def types(self) -> list[str]:
        return [str(element["/S"]) for element in self.structure]

    def elements(self, kind: str) -> list:
        return [element for element in self.structure if element["/S"] == kind]

    def xmp_title(self) -> str:
        return self.xmp.find(".//dc:title/rdf:Alt/rdf:li", XMP).text

    def claim(self, schema: str, name: str) -> str | None:
        """A PDF/A (`pdfaid`) or PDF/UA (`pdfuaid`) identification property in the XMP metadata."""
        for description in self.xmp.iter(f"{{{XMP['rdf']}}}Description"):
            key = f"{{{XMP[schema]}}}{name}"
            if key in description.attrib:
                return description.attrib[key]
            if (child := description.find(f"{schema}:{name}", XMP)) is not None:
                return child.text
        return None


def read(content: bytes) -> Pdf:
    assert content.startswith(b"%PDF-1.7")
    reader = PdfReader(io.BytesIO(content))
    catalog = reader.trailer["/Root"]
    xmp = ET.fromstring(re.search(rb"<x:xmpmeta.*</x:xmpmeta>", reader.xmp_metadata.stream.get_data(), re.S)[0])
    structure, in_tree = [], set()
    stack = list(reversed(catalog["/StructTreeRoot"]["/K"]))
    while stack:
        node = stack.pop()
        if not isinstance(node, IndirectObject):
            continue  # a marked-content id: the element's content on the page
        element = node.get_object()
        if element.get("/Type") != "/StructElem":
            continue  # a reference to an annotation
        structure.append(element)
        in_tree.add(node.idnum)
        kids = element.get("/K", [])
        stack.extend(reversed(kids if isinstance(kids, list) else [kids]))
    return Pdf(reader=reader, catalog=catalog, xmp=xmp, structure=structure, in_tree=in_tree)


def assert_accessible(content: bytes, title: str, *, archived: bool, table: bool = False) -> Pdf:
    """The checks that hold for every kind: tagged, Dutch, titled, one h1 and no skipped heading level,
    header cells that the data cells point to, page numbers as artifacts, fonts embedded, and the
    identification of PDF/UA-1, with PDF/A-3a for what is archived."""
    pdf = read(content)
    assert pdf.catalog["/MarkInfo"]["/Marked"].value is True
    assert pdf.catalog["/Lang"] == "nl"
    assert pdf.catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert pdf.info.title == title and pdf.xmp_title() == title
    assert pdf.info.author and pdf.info.subject and pdf.info["/Keywords"]

    levels = [int(kind[2]) for kind in pdf.types if re.fullmatch(r"/H[1-6]", kind)]
    assert levels[0] == 1 and levels.count(1) == 1, levels
    assert all(level <= before + 1 for before, level in itertools.pairwise(levels)), levels
    assert "/P" in pdf.types

    if table:
        headers = pdf.elements("/TH")
        assert pdf.elements("/Table") and headers
        ids = {str(element["/ID"]) for element in headers}
        assert set(pdf.catalog["/StructTreeRoot"]["/IDTree"]["/Names"][::2]) == ids
        for cell in pdf.elements("/TD"):
            named = [str(header) for header in cell["/A"]["/Headers"]]
            assert named and set(named) <= ids, named

    parent_tree = pdf.catalog["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    for number, page in enumerate(pdf.reader.pages):
        stream = page.get_contents().get_data()
        parents = parent_tree[2 * number + 1]
        for mcid in re.findall(rb"<<\s*/MCID (\d+)\s*>>\s*BDC", stream):
            assert parents[int(mcid)].idnum in pdf.in_tree, "content outside the structure tree"
        assert re.search(rb"/Artifact\s*<<\s*/Type /Pagination\s*>>\s*BDC", stream), "the page number"
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0] if "/DescendantFonts" in font else font)["/FontDescriptor"]
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]

    assert pdf.claim("pdfuaid", "part") == "1"
    if archived:
        assert (pdf.claim("pdfaid", "part"), pdf.claim("pdfaid", "conformance")) == ("3", "A")
        # PDF/A admits the PDF/UA property only with its schema declared.
        assert pdf.xmp.find(".//pdfaSchema:namespaceURI", XMP).text == XMP["pdfuaid"]
        assert pdf.catalog["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"
    else:
        assert pdf.claim("pdfaid", "part") is None
    return pdf


def stored(model, pk: int) -> bytes:
    with model.objects.get(pk=pk).file.open("rb") as handle:
        return handle.read()


class Region(Covenant):
    """Zuid-Kennemerland's coordination meeting of 5 October 2026 with a public item and a confidential one,
    and what follows from it: minutes with an action point, a regional proposal for the four colleges and a
    work programme with its progress report."""

    def __init__(self, coordinator):
        super().__init__()
        self.coordinator = coordinator
        self.secretary = self.seat(self.body, Membership.Role.SECRETARY)
        starts = timezone.make_aware(datetime.datetime(2026, 10, 5, 9, 30))
        self.meeting = Meeting.for_body(self.body, starts, location="Stadhuis Haarlem")
        self.meeting.save()
        add = self.meeting.add_item
        self.housing = add(version=None, by=self.secretary, title="Regionale woonagenda", purpose=Purpose.DECISION)
        add(version=None, by=self.secretary, title="Personele zaak", purpose=Purpose.DECISION, confidential=True)
        self.meeting.publish(by=self.secretary)

    def seat(self, body: ConsultationBody, role: str):
        person = PersonFactory(with_login=True)
        MembershipFactory(body=body, person=person, role=role, starts_on=D(2021, 1, 1))
        return person.user

    def hold(self) -> None:
        self.meeting.refresh_from_db()
        if self.meeting.status == Meeting.Status.PUBLISHED:
            self.meeting.mark_held(by=self.secretary)

    def sent_minutes(self):
        self.hold()
        minutes = _ensure_minutes(self.meeting)
        item = minutes.items.get(agenda_item=self.housing)
        item.write(version=0, discussion="De leden bespreken de woonagenda.", conclusions="Het overleg stemt in.")
        owner = self.secretary.person
        ActionPoint.objects.create(minutes_item=item, what="Colleges informeren", owner=owner, due_on=D(2026, 11, 1))
        minutes.send(by=self.secretary)
        return minutes

    def adopt_minutes(self, minutes) -> None:
        following = Meeting.for_body(self.body, self.meeting.starts_at + datetime.timedelta(days=14))
        following.save()
        following.publish(by=self.secretary)
        minutes.adopt(by=self.secretary, in_meeting=following)

    def decision_list(self, client_for) -> bytes:
        response = client_for(self.secretary).get(reverse("decision_list_pdf", args=[self.meeting.pk]))
        assert response.status_code == 200
        return response.content

    def sent_proposal(self):
        """Adopted in this meeting and sent to the colleges."""
        self.hold()
        proposal = self.proposal()
        proposal.agenda_item_id = self.housing.pk
        proposal.save()
        proposal.adopt(by=self.coordinator)
        proposal.send(by=self.coordinator, on=D(2026, 11, 1))
        return proposal

    def decision(self, proposal, name: str) -> CollegeDecision:
        return proposal.college_decisions.select_related("municipality", "version").get(municipality__name=name)

    def programme(self, status: str) -> WorkProgramme:
        lead = ConsultationBodyFactory(name="PHO Wonen", cooperation=self.cooperation)
        task = RegionalTaskFactory(cooperation=self.cooperation, name="De regionale woonagenda", lead_body=lead)
        adopted = status == WorkProgramme.Status.ADOPTED
        programme = WorkProgramme.objects.create(
            cooperation=self.cooperation,
            year=2027,
            status=status,
            adopted_on=D(2026, 11, 20) if adopted else None,
            adopted_by=self.body if adopted else None,
        )
        for what, when in (("Woningbouwafspraken", "tweede kwartaal 2027"), ("Monitor", "vierde kwartaal 2027")):
            WorkProgrammeEntry.objects.create(programme=programme, task=task, what=what, when=when)
        ProgressReport.objects.create(programme=programme, task=task, status=ProgressReport.Status.ON_TRACK)
        return programme

    def programme_pdf(self, client_for, programme: WorkProgramme, kind: str) -> bytes:
        response = client_for(self.coordinator).get(reverse("programme_pdf", args=[programme.pk, kind]))
        assert response.status_code == 200
        return response.content


@pytest.fixture
def region(coordinator) -> Region:
    return Region(coordinator)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_agenda_is_pdf_ua_with_its_data_as_a_table_with_row_headers_and_its_items_as_a_list(region):
    content = stored(AgendaPdf, render_agenda_pdf(region.meeting.pk))
    pdf = assert_accessible(content, "Agenda Coördinatieoverleg 5 oktober 2026", archived=False, table=True)
    assert pdf.info.author == "Coördinatieoverleg Zuid-Kennemerland"
    assert pdf.info.subject == "Agenda Coördinatieoverleg, maandag 5 oktober 2026, 09:30 uur"
    assert "/L" in pdf.types and "/LI" in pdf.types
    # The labels (Datum, Tijd, ...) head their row: each value cell names the header cell beside it.
    assert all(len(cell["/A"]["/Headers"]) == 1 for cell in pdf.elements("/TD"))
    # The same agenda gives the same bytes, so a version whose content did not change keeps its PDF.
    again = render_pdf("pdf/agenda.html", agenda_pdf_context(region.meeting))
    assert again == render_pdf("pdf/agenda.html", agenda_pdf_context(region.meeting))


def test_minutes_sent_for_comment_are_a_concept_in_pdf_ua_and_adopted_minutes_are_archived_as_pdf_a(region):
    minutes = region.sent_minutes()
    concept = stored(MinutesPdf, render_minutes_pdf(minutes.pk))
    pdf = assert_accessible(concept, "Verslag Coördinatieoverleg 5 oktober 2026 (concept)", archived=False, table=True)
    # The watermark is a page background, an artifact: nothing precedes the heading; the concept is said in
    # the text below it.
    assert pdf.types[:2] == ["/Document", "/H1"]
    assert "CONCEPT – dit verslag is nog niet vastgesteld." in pdf.reader.pages[0].extract_text()

    region.adopt_minutes(minutes)
    adopted = stored(MinutesPdf, render_minutes_pdf(minutes.pk))
    pdf = assert_accessible(adopted, "Verslag Coördinatieoverleg 5 oktober 2026", archived=True, table=True)
    assert "Aldus vastgesteld" in pdf.info.subject and "CONCEPT" not in pdf.reader.pages[0].extract_text()


def test_the_decision_list_is_a_concept_in_pdf_ua_until_its_minutes_are_adopted_then_pdf_a(region, client_for):
    minutes = region.sent_minutes()
    region.sent_proposal()
    title = "Besluitenlijst Coördinatieoverleg 5 oktober 2026"
    pdf = assert_accessible(region.decision_list(client_for), f"{title} (concept)", archived=False, table=True)
    assert {"/H1", "/H2", "/H3", "/L", "/LI"} <= set(pdf.types)

    region.adopt_minutes(minutes)
    pdf = assert_accessible(region.decision_list(client_for), title, archived=True, table=True)
    assert pdf.info.subject.startswith("De besluiten en conclusies van de vergadering van Coördinatieoverleg op")
    assert "concept" not in pdf.info.subject


def test_a_signed_college_decision_is_archived_as_pdf_a_and_the_preview_and_intended_decision_are_pdf_ua(
    region, client_for
):
    proposal = region.sent_proposal()
    decision = region.decision(proposal, "Haarlem")
    decision.record(
        by=region.secretaries["Haarlem"],
        lock_version=decision.lock_version,
        outcome=CollegeDecision.Outcome.AGREED,
        decided_on=D(2026, 11, 10),
        reference="2026/123",
    )
    title = "Collegebesluit Haarlem – Regionale woonagenda"
    preview = client_for(region.mayors["Haarlem"]).get(reverse("decision_preview_pdf", args=[decision.pk]))
    assert preview.status_code == 200
    pdf = assert_accessible(preview.content, f"{title} (concept, nog niet ondertekend)", archived=False, table=True)
    assert "CONCEPT – nog niet ondertekend" in pdf.reader.pages[0].extract_text()  # the page header, an artifact

    region.sign(decision)
    signed = stored(DecisionPdf, render_decision_pdf(decision.pk))
    pdf = assert_accessible(signed, title, archived=True, table=True)
    assert pdf.info.author == "College van burgemeester en wethouders van Haarlem"
    assert len(pdf.elements("/H2")) == 8  # Kernboodschap, Besluit, and the six sections

    heemstede = region.decision(proposal, "Heemstede")
    track = heemstede.track
    track.keep(lock_version=track.lock_version, involvement="consent")
    heemstede.refresh_from_db()
    heemstede.record_intended(
        by=region.secretaries["Heemstede"],
        lock_version=heemstede.lock_version,
        intended_on=D(2026, 11, 9),
        intended_reference="2026/V7",
    )
    intended = DecisionPdf.objects.get(pk=render_decision_pdf(heemstede.pk))
    assert intended.stage == DecisionPdf.Stage.INTENDED
    title = "Voorgenomen besluit Heemstede – Regionale woonagenda"
    assert_accessible(stored(DecisionPdf, intended.pk), title, archived=False, table=True)


@pytest.mark.parametrize(
    ("status", "archived"), [(WorkProgramme.Status.ADOPTED, True), (WorkProgramme.Status.DRAFT, False)]
)
def test_the_work_programme_and_its_progress_report_are_archived_as_pdf_a_once_adopted(
    region, client_for, status, archived
):
    programme = region.programme(status)
    work = region.programme_pdf(client_for, programme, "werkprogramma")
    pdf = assert_accessible(work, "Werkprogramma Zuid-Kennemerland 2027", archived=archived)
    assert "/L" in pdf.types and len(pdf.elements("/LI")) == 2
    report = region.programme_pdf(client_for, programme, "voortgangsrapportage")
    pdf = assert_accessible(report, "Voortgangsrapportage Zuid-Kennemerland 2027", archived=archived)
    assert pdf.info.author == "Zuid-Kennemerland" and "/H2" in pdf.types
