import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from governance.models import ConsultationBody, Membership
from meetings.models import Meeting, Purpose
from tests.factories import (
    ConsultationBodyFactory,
    CooperationFactory,
    MembershipFactory,
    MunicipalityFactory,
    ParticipationFactory,
    PersonFactory,
)

D = datetime.date


class Region:
    """Two bodies of one cooperation: the secretaries' meeting prepares the administrative meeting."""

    def __init__(self):
        self.cooperation = CooperationFactory(name="Zuid-Kennemerland")
        self.haarlem = MunicipalityFactory(name="Haarlem")
        self.heemstede = MunicipalityFactory(name="Heemstede")
        self.velsen = MunicipalityFactory(name="Velsen")  # outside the cooperation
        for municipality in (self.haarlem, self.heemstede):
            ParticipationFactory(cooperation=self.cooperation, municipality=municipality, joined_on=D(2021, 1, 1))
        self.administrative = ConsultationBodyFactory(
            name="Bestuurlijk afstemmingsoverleg",
            abbreviation="BAO",
            kind=ConsultationBody.Kind.ADMINISTRATIVE_COORDINATION,
            cooperation=self.cooperation,
        )
        self.secretaries = ConsultationBodyFactory(
            name="Overleg gemeentesecretarissen",
            abbreviation="OGS",
            kind=ConsultationBody.Kind.SECRETARIES,
            cooperation=self.cooperation,
            prepares=self.administrative,
        )
        self.other = ConsultationBodyFactory(name="Ander overleg", cooperation=self.cooperation)

    def seat(self, body, role=Membership.Role.MEMBER, municipality=None):
        person = PersonFactory(with_login=True)
        MembershipFactory(body=body, person=person, role=role, on_behalf_of=municipality, starts_on=D(2021, 1, 1))
        return person.user


@pytest.fixture
def region(db) -> Region:
    return Region()


@pytest.fixture
def secretary(region):
    """The secretary of the secretaries' meeting (prepares its agenda)."""
    return region.seat(region.secretaries, Membership.Role.SECRETARY)


@pytest.fixture
def meeting(region) -> Meeting:
    meeting = Meeting.for_body(region.secretaries, timezone.now() + datetime.timedelta(days=21))
    meeting.save()
    return meeting


def add_items(meeting: Meeting, user, count: int, **fields) -> list:
    return [
        meeting.add_item(version=None, by=user, title=f"Agendapunt {n}", purpose=Purpose.DISCUSSION, **fields)
        for n in range(1, count + 1)
    ]


def pdf_file(name: str = "notitie.pdf", size: int = 0) -> SimpleUploadedFile:
    content = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n" + b"0" * size
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx_file(name: str = "voorstel.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
