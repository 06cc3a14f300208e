"""Regional proposals of the demo region, one in every state, and the decision chain in every kind of
council involvement (see governance/demo.py for the region)."""

import datetime

from django.db import transaction
from django.utils import timezone

from decisions.models import CollegeDecision, CouncilTrack, RegionalProposal
from governance.demo import DemoRegion
from governance.models import ConsultationBody, Membership
from meetings.models import AgendaItem, Meeting, Purpose
from municipalities.models import Office

DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(weeks=1)

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
        "Gezamenlijke aanpak ondermijning",
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

# The proposal of seed 000: the policy team of the safety region proposes to all nine colleges to set
# up the administrative coordination meeting.
SEED_000 = {
    "title": "Instelling bestuurlijk afstemmingsoverleg Kennemerland",
    "key_message": (
        "Binnen de Veiligheidsregio Kennemerland (VRK) is de crisisstructuur actief. De maatregelen hebben "
        "economische, sociaal-maatschappelijke en financiële gevolgen voor de gemeenten, die niet direct in de "
        "crisisorganisatie passen. Op voorstel van de gemeentesecretarissen heeft het beleidsteam van de VRK "
        "voorgesteld om informatiedeling, afstemming en waar gewenst samenwerking tussen de gemeenten te "
        "versterken. Het voorstel wordt aan de colleges voorgelegd ter instemming."
    ),
    "decision_points": (
        "In te stemmen met het voorstel van het Beleidsteam van de VRK om een bestuurlijk afstemmingsoverleg in "
        "te stellen onder voorzitterschap van de burgemeester van Haarlem"
    ),
    "introduction": (
        "Op voorstel van de gemeentesecretarissen van de gemeenten in Kennemerland is in het beleidsteam van de "
        "VRK door de burgemeesters een voorstel overgenomen om informatiedeling, afstemming en samenwerking "
        "tussen de gemeenten te versterken. Afgesproken is dat de secretarissen het aan hun colleges voorleggen "
        "ter instemming."
    ),
    "intended_result": (
        "Het bestuurlijk afstemmingsoverleg zorgt, met behoud van de eigen regie in elk van de negen gemeenten, "
        "voor afstemming van maatregelen en waar nodig gezamenlijke aanpak."
    ),
    "arguments": "Gemeenten lopen tegen dezelfde vraagstukken aan; afstemming voorkomt dubbel werk.",
    "risks": "Het overleg neemt geen besluiten; elk college en elke raad blijft zelf beslissen.",
    "implementation": (
        "Het overleg gemeentesecretarissen bereidt de agenda voor; een coördinator gemeenten verzamelt vragen en "
        "voorstellen. De structuur wordt maandelijks kort geëvalueerd."
    ),
}

BUDGET = {
    "title": "Ontwerpbegroting 2027 Veiligheidsregio Kennemerland",
    "key_message": "De raden geven hun zienswijze op de ontwerpbegroting 2027 van de VRK.",
    "decision_points": (
        "In te stemmen met het raadsvoorstel over de zienswijze op de ontwerpbegroting 2027 van de VRK\n"
        "De raad voor te stellen zijn zienswijze aan het algemeen bestuur te zenden"
    ),
}

RECEIVED = "Graag aandacht voor de gevolgen voor de eigen ambtelijke capaciteit."


def load_proposals(region: DemoRegion) -> None:
    """Adds the demo proposals once: a second run finds them by title and adds nothing."""
    with transaction.atomic():
        _policy_team(region)
        _load_covenant_proposals(region)
        _load_seed_000(region)
        _load_budget(region)


def _held_item(body: ConsultationBody, day: datetime.date, title: str, by) -> AgendaItem:
    """An item of the body's held meeting of that day: the meeting where the regional position was adopted."""
    starts_at = timezone.make_aware(datetime.datetime.combine(day, body.usual_start_time or datetime.time(10, 0)))
    meeting = Meeting.objects.filter(body=body, starts_at=starts_at).first()
    if meeting is None:
        meeting = Meeting.for_body(body, starts_at, status=Meeting.Status.HELD)
        meeting.full_clean()
        meeting.save()
    item = meeting.items.filter(title=title).first()
    if item is None:
        position = meeting.items.count() + 1
        item = AgendaItem.objects.create(
            meeting=meeting, position=position, title=title, purpose=Purpose.REGIONAL_POSITION
        )
    return item


def _user(region: DemoRegion, key: str):
    return region.people[key].user


def _sign(region: DemoRegion, decision: CollegeDecision, mayor: str | None = None) -> None:
    name = decision.municipality.name
    decision.sign(by=_user(region, mayor or f"{name}:mayor"))
    decision.sign(by=_user(region, f"{name}:municipal_secretary"))


def _load_covenant_proposals(region: DemoRegion) -> None:
    body = region.bodies["coordination"]
    coordinator = region.people["regional_coordinator"].user
    today = timezone.localdate()
    sent_on = today - 21 * DAY
    for title, status, outcomes in PROPOSALS:
        if RegionalProposal.objects.filter(title=title).exists():
            continue
        proposal = RegionalProposal.objects.create(
            title=title,
            key_message=f"De colleges van Zuid-Kennemerland stemmen in met: {title.lower()}.",
            decision_points=f"In te stemmen met {title.lower()}\nDe gemeenteraad hierover te informeren",
            body=body,
            cooperation=body.cooperation,
            agenda_item=_held_item(body, sent_on - 7 * DAY, title, coordinator),
            **SECTIONS,
        )
        if status == RegionalProposal.Status.WITHDRAWN:
            proposal.withdraw(by=coordinator, reason="Opgegaan in de klimaatadaptatieagenda.")
            continue
        if status == RegionalProposal.Status.DRAFT:
            continue
        proposal.adopt(by=coordinator)
        if status == RegionalProposal.Status.ADOPTED:
            continue
        proposal.send(by=coordinator, on=sent_on)
        for decision in proposal.college_decisions.select_related("municipality", "version"):
            outcome = outcomes.get(decision.municipality.name)
            if outcome is None:
                continue
            name = decision.municipality.name
            decision.record(
                by=_user(region, f"{name}:municipal_secretary"),
                lock_version=decision.lock_version,
                outcome=outcome,
                decided_on=sent_on + 7 * DAY,
                reference=f"{decision.municipality.cbs_code}/{sent_on.year}/{proposal.pk:04d}",
                deviating_points="In te stemmen met de woonagenda, met een eigen woningbouwprogramma\n"
                "De gemeenteraad hierover te informeren"
                if outcome == CollegeDecision.Outcome.AGREED_AMENDED
                else "",
                motivation="Het woningbouwprogramma van Heemstede gaat voor."
                if outcome == CollegeDecision.Outcome.NOT_AGREED
                else "",
            )
            _sign(region, decision)
        if status == RegionalProposal.Status.SENT:
            _covenant_council_tracks(proposal, sent_on)
        if status == RegionalProposal.Status.CLOSED:
            proposal.refresh_from_db()
            proposal.close(by=coordinator)


def _keep(proposal: RegionalProposal, name: str, **fields) -> CouncilTrack:
    track = proposal.council_tracks.select_related("proposal", "municipality", "decision").get(municipality__name=name)
    track.keep(lock_version=track.lock_version, **fields)
    return track


def _covenant_council_tracks(proposal: RegionalProposal, sent_on: datetime.date) -> None:
    """The griffies at work: a window, two councils informed of their college's decision, one that meets
    outside the window."""
    proposal.council_window_from = sent_on + 7 * DAY
    proposal.council_window_to = sent_on + 28 * DAY
    proposal.save()
    _keep(
        proposal,
        "Haarlem",
        involvement="informed",
        status="planned",
        committee_date=sent_on + 15 * DAY,
        council_date=sent_on + 22 * DAY,
        sent_to_council_on=sent_on + 10 * DAY,
    )
    _keep(
        proposal,
        "Heemstede",
        involvement="informed",
        status="planned",
        council_date=sent_on + 26 * DAY,
        sent_to_council_on=sent_on + 12 * DAY,
    )
    _keep(
        proposal,
        "Zandvoort",
        involvement="informed",
        status="planned",
        council_date=sent_on + 14 * WEEK,
        outside_window_reason="Raadsvergadering van oktober verviel; doorgeschoven.",
    )


def _policy_team(region: DemoRegion) -> ConsultationBody:
    """The policy team (beleidsteam) of the safety region: the nine mayors, chaired by Haarlem's."""
    vrk = region.cooperations["VRK"]
    body, created = ConsultationBody.objects.get_or_create(
        name="Beleidsteam Veiligheidsregio Kennemerland",
        defaults={
            "abbreviation": "BT VRK",
            "kind": ConsultationBody.Kind.ADMINISTRATIVE_COORDINATION,
            "cooperation": vrk,
            "frequency": ConsultationBody.Frequency.AD_HOC,
            "usual_start_time": datetime.time(11, 0),
            "usual_location": "Veiligheidsregio Kennemerland, Zijlweg 200, Haarlem",
        },
    )
    if created:
        for municipality in vrk.participants_on(timezone.localdate()):
            role = Membership.Role.CHAIR if municipality.name == "Haarlem" else Membership.Role.MEMBER
            Membership.objects.create(
                body=body,
                person=region.people[f"{municipality.name}:mayor"],
                role=role,
                on_behalf_of=municipality,
                starts_on=datetime.date(2020, 3, 15),
            )
    region.bodies["policy_team"] = body
    return body


def _substitute(region: DemoRegion, key: str, role: str, starts_on: datetime.date, ends_on: datetime.date) -> None:
    """A loco-burgemeester: an alderman designated by the college for a period (Gemeentewet art. 77).
    One without a demo log-in gets an account without a password, so the demo can sign in their name."""
    from django.contrib.auth import get_user_model

    person = region.people[key]
    if person.user_id is None:
        user = get_user_model()(username=f"loco-{person.pk}", email=person.email)
        user.set_unusable_password()
        user.save()
        person.user = user
        person.save()
    if not Office.objects.filter(person=person, role=role).exists():
        alderman = Office.objects.get(person=person, role=Office.Role.ALDERMAN)
        office = Office(
            person=person, role=role, municipality=alderman.municipality, starts_on=starts_on, ends_on=ends_on
        )
        office.full_clean()
        office.save()


def _load_seed_000(region: DemoRegion) -> None:
    """Seed 000 to all nine colleges, with a track in every kind of involvement and every step."""
    if RegionalProposal.objects.filter(title=SEED_000["title"]).exists():
        return
    today = timezone.localdate()
    coordinator = region.people["regional_coordinator"].user
    body = _policy_team(region)
    sent_on = today - 70 * DAY
    # Haarlem's mayor is away: an alderman is loco-burgemeester (log-in "wethouder"); in Bloemendaal one was
    # for a week in which the college decided.
    _substitute(region, "Haarlem:alderman:0", Office.Role.LOCO_MAYOR, today - 7 * DAY, today + 21 * DAY)
    _substitute(region, "Bloemendaal:alderman:0", Office.Role.LOCO_MAYOR, today - 24 * DAY, today - 17 * DAY)
    proposal = RegionalProposal.objects.create(
        **SEED_000,
        body=body,
        cooperation=body.cooperation,
        agenda_item=_held_item(body, sent_on - 7 * DAY, SEED_000["title"], coordinator),
        council_window_from=sent_on + 7 * DAY,
        council_window_to=today + 35 * DAY,
    )
    proposal.adopt(by=coordinator)
    proposal.send(by=coordinator, on=sent_on)
    decisions = {d.municipality.name: d for d in proposal.college_decisions.select_related("municipality")}

    def intended(name: str, on: datetime.date) -> None:
        decision = decisions[name]
        decision.refresh_from_db()
        decision.record_intended(
            by=_user(region, f"{name}:municipal_secretary"),
            lock_version=decision.lock_version,
            intended_on=on,
            intended_reference=f"{decision.municipality.cbs_code}/V/{on.year}/{proposal.pk:04d}",
        )

    def definitive(name: str, on: datetime.date, outcome: str = CollegeDecision.Outcome.AGREED, **fields) -> None:
        decision = decisions[name]
        decision.refresh_from_db()
        decision.record(
            by=_user(region, f"{name}:municipal_secretary"),
            lock_version=decision.lock_version,
            outcome=outcome,
            decided_on=on,
            reference=f"{decision.municipality.cbs_code}/{on.year}/{proposal.pk:04d}",
            **fields,
        )

    two_step = sent_on + 7 * DAY
    to_council = sent_on + 10 * DAY
    # Haarlem: wishes and objections; the intended decision is with the council, which meets in ten days.
    _keep(proposal, "Haarlem", involvement="wishes")
    intended("Haarlem", two_step)
    _keep(
        proposal,
        "Haarlem",
        status="planned",
        committee_date=today + 3 * DAY,
        council_date=today + 10 * DAY,
        sent_to_council_on=to_council,
    )
    # Bloemendaal: the council gave its wishes; the college decided with an amendment, signed by the
    # loco-burgemeester.
    _keep(proposal, "Bloemendaal", involvement="wishes")
    intended("Bloemendaal", two_step)
    _keep(proposal, "Bloemendaal", council_date=today - 30 * DAY, sent_to_council_on=to_council)
    _keep(
        proposal,
        "Bloemendaal",
        outcome="wishes_expressed",
        outcome_date=today - 30 * DAY,
        council_response=RECEIVED,
    )
    definitive(
        "Bloemendaal",
        today - 20 * DAY,
        CollegeDecision.Outcome.AGREED_AMENDED,
        deviating_points=SEED_000["decision_points"] + ", met een evaluatie na een jaar",
    )
    _sign(region, decisions["Bloemendaal"], mayor="Bloemendaal:alderman:0")
    # Heemstede: the council refused its consent; the college could only not agree.
    _keep(proposal, "Heemstede", involvement="consent")
    intended("Heemstede", two_step)
    _keep(proposal, "Heemstede", council_date=today - 35 * DAY, sent_to_council_on=to_council)
    _keep(
        proposal,
        "Heemstede",
        outcome="consent_refused",
        outcome_date=today - 35 * DAY,
        council_response="Motie 2026-31: de raad wil eerst een afwegingskader voor regionale overleggen.",
    )
    definitive("Heemstede", today - 30 * DAY, CollegeDecision.Outcome.NOT_AGREED)
    _sign(region, decisions["Heemstede"])
    # Zandvoort: consent given; the definitive decision waits for the mayor's signature.
    _keep(proposal, "Zandvoort", involvement="consent")
    intended("Zandvoort", two_step)
    _keep(proposal, "Zandvoort", council_date=today - 35 * DAY, sent_to_council_on=to_council)
    _keep(proposal, "Zandvoort", outcome="consented", outcome_date=today - 35 * DAY)
    definitive("Zandvoort", today - 28 * DAY)
    # Haarlemmermeer: consent; the intended decision is taken but not yet with the council.
    _keep(proposal, "Haarlemmermeer", involvement="consent")
    intended("Haarlemmermeer", today - 40 * DAY)
    # Velsen: informed after its decision, and the council took note.
    definitive("Velsen", sent_on + 20 * DAY)
    _sign(region, decisions["Velsen"])
    _keep(proposal, "Velsen", sent_to_council_on=sent_on + 25 * DAY, council_date=sent_on + 40 * DAY)
    _keep(proposal, "Velsen", outcome="noted", outcome_date=sent_on + 40 * DAY)
    # Beverwijk: the council set the frame first, then the college agreed.
    _keep(
        proposal,
        "Beverwijk",
        involvement="framework",
        outcome="framework_set",
        outcome_date=sent_on + 14 * DAY,
        council_date=sent_on + 14 * DAY,
        council_response="De raad vraagt om een jaarlijkse verantwoording aan de raden.",
    )
    definitive("Beverwijk", sent_on + 21 * DAY)
    _sign(region, decisions["Beverwijk"])
    # Heemskerk: the council still has to set the frame.
    _keep(proposal, "Heemskerk", involvement="framework", status="planned", council_date=today + 20 * DAY)
    # Uitgeest: informed, the college has not decided yet.


def _load_budget(region: DemoRegion) -> None:
    """A zienswijze round: the draft budget of the safety region, twelve weeks (Wgr art. 35)."""
    if RegionalProposal.objects.filter(title=BUDGET["title"]).exists():
        return
    today = timezone.localdate()
    coordinator = region.people["regional_coordinator"].user
    body = _policy_team(region)
    draft_sent = today - 85 * DAY
    proposal = RegionalProposal.objects.create(
        **BUDGET,
        **SECTIONS,
        body=body,
        cooperation=body.cooperation,
        agenda_item=_held_item(body, draft_sent - 14 * DAY, BUDGET["title"], coordinator),
        opinion_document=RegionalProposal.OpinionDocument.BUDGET,
        opinion_weeks=12,
    )
    proposal.adopt(by=coordinator)
    proposal.opinion_sent_on = draft_sent
    proposal.save()
    proposal.send(by=coordinator, on=draft_sent)
    opinions = {
        "Haarlem": ("opinion_submitted", "De raad vraagt de VRK de stijging van de bijdrage te beperken."),
        "Bloemendaal": ("no_opinion", ""),
        "Heemstede": ("opinion_submitted", "De raad steunt de begroting, met aandacht voor de brandweerposten."),
        "Zandvoort": ("no_opinion", ""),
        "Velsen": ("opinion_submitted", "De raad vraagt om een risicoparagraaf per taak."),
    }
    for name, (outcome, text) in opinions.items():
        _keep(proposal, name, involvement="opinion", sent_to_council_on=draft_sent + DAY)
        _keep(
            proposal,
            name,
            council_date=draft_sent + 70 * DAY,
            outcome=outcome,
            outcome_date=draft_sent + 70 * DAY,
            council_response=text,
        )
    for name in ("Beverwijk", "Heemskerk", "Uitgeest", "Haarlemmermeer"):
        _keep(proposal, name, involvement="opinion", sent_to_council_on=draft_sent + DAY)
    proposal.refresh_from_db()
    proposal.record_opinion_reaction(
        by=coordinator,
        text="Het dagelijks bestuur neemt de zienswijzen mee: de bijdrage stijgt minder en elke taak krijgt een "
        "risicoparagraaf.",
        on=today - 3 * DAY,
    )
