import datetime

import pytest

from arrangements.models import ArrangementParticipation, CycleDocument, JointArrangement
from governance.models import ConsultationBody, Membership
from municipalities.models import Office
from tests.decisions.conftest import Covenant
from tests.factories import ConsultationBodyFactory, MembershipFactory, OfficeFactory, PersonFactory

D = datetime.date
SENT, BOARD = D(2026, 3, 2), D(2026, 6, 1)


class Region(Covenant):
    """The four municipalities of the covenant as the participants of a joint arrangement with a general board,
    each with a griffier who logs in, and a finance portfolio-holder meeting whose secretary logs in."""

    def __init__(self):
        super().__init__()
        self.general_board = ConsultationBodyFactory(
            name="Algemeen bestuur VRK", kind=ConsultationBody.Kind.GENERAL_BOARD, cooperation=self.cooperation
        )
        self.arrangement = JointArrangement.objects.create(
            name="Veiligheidsregio Kennemerland",
            abbreviation="VRK",
            kind=JointArrangement.Kind.PUBLIC_BODY,
            general_board=self.general_board,
        )
        self.griffiers = {}
        for name, municipality in self.municipalities.items():
            ArrangementParticipation.objects.create(
                arrangement=self.arrangement, municipality=municipality, joined_on=D(2010, 1, 1)
            )
            person = PersonFactory(with_login=True, surname=f"Griffier {name}")
            OfficeFactory(person=person, role=Office.Role.GRIFFIER, municipality=municipality, starts_on=D(2020, 1, 1))
            self.griffiers[name] = person.user
        self.board_secretary = PersonFactory(with_login=True, surname="Bestuurssecretaris").user
        MembershipFactory(body=self.general_board, person=self.board_secretary.person, role=Membership.Role.SECRETARY)
        self.finance = ConsultationBodyFactory(
            name="Portefeuillehoudersoverleg Financiën",
            kind=ConsultationBody.Kind.PORTFOLIO_HOLDERS,
            cooperation=self.cooperation,
        )
        self.finance_secretary = PersonFactory(with_login=True, surname="Secretaris financiën").user
        MembershipFactory(body=self.finance, person=self.finance_secretary.person, role=Membership.Role.SECRETARY)

    def draft_budget(self, *, sent_on=SENT, board=BOARD, **fields) -> CycleDocument:
        return CycleDocument.objects.create(
            arrangement=self.arrangement,
            year=sent_on.year,
            kind=CycleDocument.Kind.DRAFT_BUDGET,
            title=CycleDocument.default_title(self.arrangement, CycleDocument.Kind.DRAFT_BUDGET, sent_on.year),
            sent_on=sent_on,
            board_meeting_on=board,
            opinion_weeks=12,
            **fields,
        )


@pytest.fixture
def region(db) -> Region:
    return Region()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
