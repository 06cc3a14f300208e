import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from decisions.models import CollegeDecision, RegionalProposal
from governance.models import ConsultationBody, Membership, WorkProgramme
from meetings.models import Disclosure, Document, Meeting, Minutes, Purpose
from meetings.woo import WooGround
from publication.models import PublisherSetting
from tests.decisions.conftest import Covenant
from tests.factories import MembershipFactory, PersonFactory

D = datetime.date


def pdf_upload(name: str = "stuk.pdf", text: bytes = b"") -> SimpleUploadedFile:
    content = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n" + text
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class World(Covenant):
    """The covenant of Zuid-Kennemerland with a coordination meeting whose agenda holds a public item with a
    public, a withheld and a partly public document, and a confidential item; Haarlem publishes for it."""

    def __init__(self, coordinator):
        super().__init__()
        self.coordinator = coordinator
        # Their real CBS codes: the sitemaps name each publisher by its TOOI identifier, which must exist.
        for name, code in (
            ("Bloemendaal", "GM0377"),
            ("Haarlem", "GM0392"),
            ("Heemstede", "GM0397"),
            ("Zandvoort", "GM0473"),
        ):
            self.municipalities[name].cbs_code = code
            self.municipalities[name].save()
        PublisherSetting.objects.create(cooperation=self.cooperation, on_behalf_of=self.municipalities["Haarlem"])
        self.secretary = self.seat(self.body, Membership.Role.SECRETARY)
        self.member = self.seat(self.body, Membership.Role.MEMBER)
        starts = timezone.now() - datetime.timedelta(days=2)
        self.meeting = Meeting.for_body(self.body, starts)
        self.meeting.save()
        self.public_item = self.meeting.add_item(
            version=None, by=self.secretary, title="Regionale woonagenda", purpose=Purpose.DECISION
        )
        self.secret_item = self.meeting.add_item(
            version=None,
            by=self.secretary,
            title="Grondaankoop Spaarnwoude",
            purpose=Purpose.DECISION,
            confidential=True,
        )
        self.public_document = self.document(self.public_item, "Woonagenda 2027")
        self.withheld_document = self.document(
            self.public_item,
            "Advies over de grondprijs",
            disclosure=Disclosure.WITHHELD,
            ground=WooGround.ECONOMIC_INTERESTS,
        )
        self.partial_document = self.document(
            self.public_item, "Brief van de corporaties", disclosure=Disclosure.PARTIAL, ground=WooGround.PRIVACY
        )
        self.redacted_version = self.partial_document.add_version(
            pdf_upload("brief-gelakt.pdf"), by=self.secretary, content_type="application/pdf", redacted=True
        )
        self.secret_document = self.document(self.secret_item, "Taxatierapport Spaarnwoude")

    def seat(self, body: ConsultationBody, role: str):
        person = PersonFactory(with_login=True)
        MembershipFactory(body=body, person=person, role=role, starts_on=D(2021, 1, 1))
        return person.user

    def document(self, item, title: str, disclosure=Disclosure.PUBLIC, ground: str = "") -> Document:
        document = Document.objects.create(item=item, title=title, disclosure=disclosure, woo_ground=ground)
        document.add_version(pdf_upload(f"{title}.pdf"), by=self.secretary, content_type="application/pdf")
        return document

    def send_agenda(self) -> Meeting:
        self.meeting.publish(by=self.secretary)
        return self.meeting

    def adopted_minutes(self) -> Minutes:
        self.meeting.refresh_from_db()
        if self.meeting.status == Meeting.Status.PUBLISHED:
            self.meeting.mark_held(by=self.secretary)
        return Minutes.objects.create(meeting=self.meeting, status=Minutes.Status.ADOPTED)

    def final_decision(self, name: str = "Haarlem") -> CollegeDecision:
        proposal = RegionalProposal.objects.filter(title="Regionale woonagenda").first()
        if proposal is None:
            proposal = self.adopt(self.proposal(), self.coordinator)
            proposal.send(by=self.coordinator, on=D(2026, 11, 1))
        decision = proposal.college_decisions.get(municipality__name=name)
        decision.record(
            by=self.secretaries[name],
            lock_version=decision.lock_version,
            outcome=CollegeDecision.Outcome.AGREED,
            decided_on=D(2026, 11, 10),
            reference=f"2026/{name}",
        )
        self.sign(decision)
        decision.refresh_from_db()
        return decision

    def adopted_programme(self) -> WorkProgramme:
        return WorkProgramme.objects.create(
            cooperation=self.cooperation, year=2027, status=WorkProgramme.Status.ADOPTED, adopted_on=D(2026, 11, 20)
        )


@pytest.fixture
def world(db, coordinator) -> World:
    return World(coordinator)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
