"""Regional proposals of the demo region, one in every state (see governance/demo.py for the region)."""

import datetime

from django.utils import timezone

from decisions.models import CollegeDecision, RegionalProposal
from governance.demo import DemoRegion

SECTIONS = {
    "introduction": "De gemeenten in de regio werken samen aan vraagstukken die de gemeentegrenzen overstijgen.",
    "intended_result": "Eén regionaal standpunt, dat elk college afzonderlijk bekrachtigt.",
    "arguments": "Samen optrekken vergroot de slagkracht richting provincie en Rijk.",
    "risks": "Colleges kunnen verschillend besluiten; dan volgt afstemming in het overleg.",
    "implementation": "Na instemming van alle colleges voert het trekkende overleg het uit.",
}

PROPOSALS = [
    ("Regionale aanpak energiearmoede", RegionalProposal.Status.DRAFT, {}),
    ("Gezamenlijke inkoop jeugdhulp 2027", RegionalProposal.Status.ADOPTED, {}),
    (
        "Regionale woonagenda 2027-2030",
        RegionalProposal.Status.SENT,
        {"Haarlem": "agreed", "Bloemendaal": "agreed_amended", "Heemstede": "not_agreed"},
    ),
    (
        "Instelling bestuurlijk afstemmingsoverleg",
        RegionalProposal.Status.DECIDED,
        {"Haarlem": "agreed", "Bloemendaal": "agreed", "Heemstede": "agreed", "Zandvoort": "agreed"},
    ),
    ("Verkenning regionale hittekaart", RegionalProposal.Status.WITHDRAWN, {}),
    (
        "Werkprogramma regionale samenwerking 2026",
        RegionalProposal.Status.CLOSED,
        {"Haarlem": "agreed", "Bloemendaal": "agreed", "Heemstede": "agreed", "Zandvoort": "agreed"},
    ),
]


def load_proposals(region: DemoRegion) -> None:
    """Adds the demo proposals once: a second run finds them by title and adds nothing."""
    body = region.bodies["coordination"]
    coordinator = region.people["regional_coordinator"].user
    sent_on = timezone.localdate() - datetime.timedelta(days=21)
    for title, status, outcomes in PROPOSALS:
        if RegionalProposal.objects.filter(title=title).exists():
            continue
        proposal = RegionalProposal.objects.create(
            title=title,
            key_message=f"De colleges van Zuid-Kennemerland stemmen in met: {title.lower()}.",
            decision_points=f"In te stemmen met {title.lower()}\nDe gemeenteraad hierover te informeren",
            body=body,
            cooperation=body.cooperation,
            **SECTIONS,
        )
        if status == RegionalProposal.Status.WITHDRAWN:
            proposal.withdraw(by=coordinator, reason="Opgegaan in de klimaatadaptatieagenda.")
            continue
        if status == RegionalProposal.Status.DRAFT:
            continue
        proposal.adopt(by=coordinator, on=sent_on - datetime.timedelta(days=7))
        if status == RegionalProposal.Status.ADOPTED:
            continue
        proposal.send(by=coordinator, on=sent_on)
        for decision in proposal.college_decisions.select_related("municipality"):
            outcome = outcomes.get(decision.municipality.name)
            if outcome is None:
                continue
            name = decision.municipality.name
            decision.record(
                by=region.people[f"{name}:municipal_secretary"].user,
                lock_version=decision.lock_version,
                outcome=outcome,
                decided_on=sent_on + datetime.timedelta(days=7),
                reference=f"{decision.municipality.cbs_code}/{sent_on.year}/{proposal.pk:04d}",
                deviating_points="In te stemmen met de woonagenda, met een eigen woningbouwprogramma\n"
                "De gemeenteraad hierover te informeren"
                if outcome == CollegeDecision.Outcome.AGREED_AMENDED
                else "",
            )
            decision.approve(by=region.people[f"{name}:mayor"].user)
        if status == RegionalProposal.Status.SENT:
            _council_tracks(proposal, sent_on)
        if status == RegionalProposal.Status.CLOSED:
            proposal.refresh_from_db()
            proposal.close(by=coordinator)


def _council_tracks(proposal: RegionalProposal, sent_on: datetime.date) -> None:
    """The griffies at work: a window, two councils planned, one that received it late."""
    proposal.council_window_from = sent_on + datetime.timedelta(days=7)
    proposal.council_window_to = sent_on + datetime.timedelta(days=28)
    proposal.save()
    tracks = {t.municipality.name: t for t in proposal.council_tracks.select_related("municipality")}
    weeks = datetime.timedelta(weeks=1)
    days = datetime.timedelta(days=1)
    plans = {
        "Haarlem": {
            "involvement": "wishes",
            "status": "planned",
            "committee_date": sent_on + 8 * weeks,
            "council_date": sent_on + 10 * weeks,
            "sent_to_council_on": sent_on + 10 * days,
        },
        "Heemstede": {
            "involvement": "wishes",
            "status": "planned",
            "council_date": sent_on + 9 * weeks,
            "sent_to_council_on": sent_on + 12 * days,
        },
        "Zandvoort": {
            "involvement": "informed",
            "status": "planned",
            "council_date": sent_on + 14 * weeks,
            "sent_to_council_on": sent_on + 20 * days + 4 * weeks,
            "outside_window_reason": "Raadsvergadering van oktober verviel; doorgeschoven.",
        },
    }
    for name, fields in plans.items():
        track = tracks[name]
        track.keep(lock_version=track.lock_version, **fields)
