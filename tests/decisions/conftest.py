import datetime

import pytest

from decisions.models import RegionalProposal
from governance.models import ConsultationBody
from municipalities.models import Office
from tests.factories import (
    ConsultationBodyFactory,
    CooperationFactory,
    MunicipalityFactory,
    OfficeFactory,
    ParticipationFactory,
    PersonFactory,
)

D = datetime.date
ADOPTED_ON = D(2026, 10, 20)
NAMES = ["Bloemendaal", "Haarlem", "Heemstede", "Zandvoort"]


class Covenant:
    """Zuid-Kennemerland: four municipalities, each with a mayor and a secretary who log in."""

    def __init__(self):
        self.cooperation = CooperationFactory(name="Zuid-Kennemerland")
        self.body = ConsultationBodyFactory(
            name="Coördinatieoverleg", kind=ConsultationBody.Kind.COORDINATION, cooperation=self.cooperation
        )
        self.municipalities, self.mayors, self.secretaries = {}, {}, {}
        for name in NAMES:
            municipality = MunicipalityFactory(name=name)
            self.municipalities[name] = municipality
            ParticipationFactory(cooperation=self.cooperation, municipality=municipality, joined_on=D(2021, 1, 1))
            for role, people in ((Office.Role.MAYOR, self.mayors), (Office.Role.MUNICIPAL_SECRETARY, self.secretaries)):
                person = PersonFactory(with_login=True, given_name=f"{role}-{name}", surname=name)
                OfficeFactory(person=person, role=role, municipality=municipality, starts_on=D(2020, 1, 1))
                people[name] = person.user

    def held_item(self, on: datetime.date = ADOPTED_ON):
        """A regular agenda item of a held meeting of the adopting body, on that day."""
        from django.utils import timezone

        from meetings.models import AgendaItem, Meeting

        starts = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10)))
        meeting = Meeting.for_body(self.body, starts, status=Meeting.Status.HELD)
        meeting.save()
        return AgendaItem.objects.create(meeting=meeting, position=1, title="Regionaal voorstel")

    def adopt(self, proposal: RegionalProposal, by, on: datetime.date = ADOPTED_ON) -> RegionalProposal:
        proposal.agenda_item = self.held_item(on)
        proposal.save()
        proposal.adopt(by=by)
        return proposal

    def sign(self, decision) -> None:
        """The mayor signs and the secretary co-signs."""
        name = decision.municipality.name
        decision.sign(by=self.mayors[name])
        decision.sign(by=self.secretaries[name])

    def proposal(self, **fields) -> RegionalProposal:
        defaults = {
            "title": "Regionale woonagenda",
            "key_message": "De gemeenten werken samen aan voldoende betaalbare woningen.",
            "decision_points": "In te stemmen met de regionale woonagenda\nDe raad te informeren",
            "introduction": "Inleiding van het voorstel.",
            "body": self.body,
            "cooperation": self.cooperation,
        }
        return RegionalProposal.objects.create(**defaults | fields)


@pytest.fixture
def covenant(db) -> Covenant:
    return Covenant()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def griffiers(covenant):
    """A griffier per municipality of the covenant, who logs in."""
    users = {}
    for name, municipality in covenant.municipalities.items():
        person = PersonFactory(with_login=True, surname=f"Griffier {name}")
        OfficeFactory(person=person, role=Office.Role.GRIFFIER, municipality=municipality, starts_on=D(2020, 1, 1))
        users[name] = person.user
    return users


@pytest.fixture
def sent(covenant, coordinator):
    """A proposal sent to the colleges on 1 November 2026, to reach the councils between 8 and 29 November."""
    proposal = covenant.proposal(council_window_from=D(2026, 11, 8), council_window_to=D(2026, 11, 29))
    covenant.adopt(proposal, coordinator)
    proposal.send(by=coordinator, on=D(2026, 11, 1))
    return proposal
