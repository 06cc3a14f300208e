"""The national-scale dataset, part two: cooperations, their consultation bodies and memberships, the
regional main tasks, work programmes and monthly evaluations (see municipalities/scale.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from governance.models import (
    ConsultationBody,
    Cooperation,
    EvaluationAdjustment,
    Membership,
    MonthlyEvaluation,
    Participation,
    ProgressReport,
    RegionalTask,
    WorkProgramme,
    WorkProgrammeEntry,
)
from municipalities.models import Office, RegionalOrganisation
from municipalities.scale import DAY, Holder, Place, Scale, add_office, add_person, slug

Body, Role = ConsultationBody, Membership.Role

REGIONS = [
    "Noord-Veluwe", "Twente", "Achterhoek", "Rivierenland", "West-Brabant", "Midden-Limburg", "Zuid-Limburg",
    "Drechtsteden", "Hollands Midden", "Zaanstreek-Waterland", "Gooi en Vechtstreek", "Amstelland",
    "Holland Rijnland", "Haaglanden", "Rijnmond", "Zeeland", "Groningen", "Friesland", "Drenthe", "IJsselland",
    "Flevoland", "Utrecht-West", "Foodvalley", "Noordoost-Brabant", "Brabant-Zuidoost", "Noord-Limburg",
    "West-Friesland", "Kop van Noord-Holland", "Alblasserwaard", "Hoeksche Waard", "Stedendriehoek",
]  # fmt: skip
COOPERATIONS = 30  # with the three of the demo region
BODIES = 988
CADENCE_PER_YEAR = {
    Body.Frequency.WEEKLY: 40,
    Body.Frequency.FORTNIGHTLY: 22,
    Body.Frequency.MONTHLY: 11,
    Body.Frequency.SIX_WEEKLY: 8,
    Body.Frequency.QUARTERLY: 4,
    Body.Frequency.TWICE_A_YEAR: 2,
    Body.Frequency.AD_HOC: 3,
}
EVALUATION_FINDINGS = [
    "De agenda's sluiten op tijd; de stukken komen soms laat.",
    "Het vooroverleg werkt; het aantal agendapunten ter informatie kan omlaag.",
    "Meer ruimte voor de strategische agenda gewenst.",
    "De overlegstructuur voldoet; geen aanpassingen.",
]


@dataclass
class BodyInfo:
    pk: int
    name: str
    article: str
    kind: str
    cooperation_id: int
    frequency: str
    weekday: int | None
    start_time: datetime.time
    agenda_days: int
    documents_days: int
    location: str
    policy_area: int | None = None
    demo: bool = False
    members: list[tuple[Holder, str, int | None]] = field(default_factory=list)

    def holders(self, *roles: str) -> list[Holder]:
        return [holder for holder, role, _m in self.members if not roles or role in roles]


@dataclass
class CooperationInfo:
    pk: int
    name: str
    places: list[Place]
    demo: bool = False
    bodies: list[BodyInfo] = field(default_factory=list)
    adopting: BodyInfo | None = None  # the body whose regional positions go to the colleges
    director: Holder | None = None


def _body(ctx: Scale, coop: CooperationInfo, **fields) -> BodyInfo:
    frequency = fields.get("frequency", Body.Frequency.AD_HOC)
    start_time = fields.pop("start_time", datetime.time(10, 0))
    values = {
        "article": Body.article_for(fields["name"]),
        "abbreviation": "",
        "usual_location": fields.pop("location", ""),
        "usual_start_time": start_time,
        "agenda_deadline_days": 10,
        "documents_deadline_days": 7,
        "is_active": True,
        "cooperation_id": coop.pk,
        **fields,
    }
    pk = ctx.table(ConsultationBody).add(**values)
    info = BodyInfo(
        pk=pk,
        name=values["name"],
        article=values["article"],
        kind=values["kind"],
        cooperation_id=coop.pk,
        frequency=frequency,
        weekday=values.get("weekday"),
        start_time=start_time,
        agenda_days=values["agenda_deadline_days"],
        documents_days=values["documents_deadline_days"],
        location=values["usual_location"],
        policy_area=values.get("policy_area_id"),
    )
    coop.bodies.append(info)
    return info


def _seat(ctx: Scale, body: BodyInfo, holder: Holder, role: str, starts_on: datetime.date, on_behalf_of=None) -> None:
    ctx.table(Membership).add(
        body_id=body.pk, person_id=holder.person_id, role=role, on_behalf_of_id=on_behalf_of, starts_on=starts_on
    )
    body.members.append((holder, role, on_behalf_of))


def _seats(ctx: Scale, body: BodyInfo, seats: list[tuple[Place, Holder | None]], secretary: Holder, since) -> None:
    """The municipalities' members with the first as chair, and the secretary."""
    seats = [(place, holder) for place, holder in seats if holder is not None]
    for index, (place, holder) in enumerate(seats):
        _seat(ctx, body, holder, Role.CHAIR if index == 0 else Role.MEMBER, since, place.pk)
    _seat(ctx, body, secretary, Role.SECRETARY, since)


def _demo_cooperations(ctx: Scale) -> list[CooperationInfo]:
    places = {p.pk: p for p in ctx.places}
    result = []
    for cooperation in Cooperation.objects.order_by("pk"):
        members = cooperation.participants_on(ctx.today).order_by("pk")
        coop = CooperationInfo(cooperation.pk, cooperation.name, [places[m.pk] for m in members], demo=True)
        for body in cooperation.bodies.order_by("pk"):
            info = BodyInfo(
                pk=body.pk,
                name=body.name,
                article=body.name_article,
                kind=body.kind,
                cooperation_id=cooperation.pk,
                frequency=body.frequency,
                weekday=body.weekday,
                start_time=body.usual_start_time or datetime.time(10, 0),
                agenda_days=body.agenda_deadline_days,
                documents_days=body.documents_deadline_days,
                location=body.usual_location,
                policy_area=body.policy_area_id,
                demo=True,
            )
            for m in body.members_on(ctx.today).select_related("person").order_by("pk"):
                info.members.append(
                    (Holder(m.person_id, m.person.full_name, m.person.user_id), m.role, m.on_behalf_of_id)
                )
            coop.bodies.append(info)
        # The covenant's proposals go through its coordination meeting; the safety region's through the
        # administrative coordination meeting (as in decisions/demo.py).
        for kind in (Body.Kind.ADMINISTRATIVE_COORDINATION, Body.Kind.COORDINATION):
            coop.adopting = coop.adopting or next((b for b in coop.bodies if b.kind == kind), None)
        result.append(coop)
    return result


def load_cooperations(ctx: Scale) -> None:
    """The cooperations of the country, each with about a dozen municipalities, and their bodies."""
    rng = ctx.rng
    cooperations = _demo_cooperations(ctx)
    new_places = [p for p in ctx.places if not p.demo]
    rng.shuffle(new_places)
    new_count = max(1, min(COOPERATIONS - len(cooperations), len(new_places) // 3 or 1)) if new_places else 0
    groups = [new_places[i::new_count] for i in range(new_count)]
    organisations = ctx.table(RegionalOrganisation)
    existing_names = {c.name for c in cooperations}
    regions = [r for r in REGIONS if r not in existing_names]
    for index, places in enumerate(groups):
        region = regions[index % len(regions)]
        kind = [Cooperation.Kind.SAFETY_REGION, Cooperation.Kind.COVENANT, Cooperation.Kind.SUBREGION][index % 3]
        starts_on = ctx.window_start - rng.randrange(200, 3000) * DAY
        organisation = None
        if kind == Cooperation.Kind.SAFETY_REGION:
            organisation = organisations.add(
                name=f"Veiligheidsregio {region}",
                abbreviation=f"VR {region}",
                website=f"https://www.vr-{slug(region)}.nl",
            )
        name = {
            Cooperation.Kind.SAFETY_REGION: f"Veiligheidsregio {region}",
            Cooperation.Kind.COVENANT: f"Regio {region}",
            Cooperation.Kind.SUBREGION: f"Subregio {region}",
        }[kind]
        pk = ctx.table(Cooperation).add(
            name=name,
            abbreviation=region[:30],
            kind=kind,
            organisation_id=organisation,
            withdrawal_rule=Cooperation.WithdrawalRule.NEXT_YEAR,
            decision_rule=Cooperation.DecisionRule.UNANIMITY
            if rng.random() < 0.8
            else Cooperation.DecisionRule.MAJORITY,
            starts_on=starts_on,
            evaluation_after_years=rng.choice([None, 2, 4]),
            description=f"Samenwerking van {len(places)} gemeenten in {region}.",
        )
        coop = CooperationInfo(pk, name, places)
        for place in places:
            ctx.table(Participation).add(cooperation_id=pk, municipality_id=place.pk, joined_on=starts_on)
        director = None
        if organisation:
            director = add_person(ctx, f"vr-{slug(region)}")
            add_office(ctx, director, Office.Role.SAFETY_REGION_DIRECTOR, starts_on, organisation_id=organisation)
        coop.director = director
        cooperations.append(coop)
    _load_bodies(ctx, cooperations)
    ctx.extra["cooperations"] = cooperations
    ctx.flush()


def _load_bodies(ctx: Scale, cooperations: list[CooperationInfo]) -> None:
    rng = ctx.rng
    since = ctx.window_start - 30 * DAY
    areas = [pk for pk in ctx.portfolios if pk != ctx.public_order]
    generated = [c for c in cooperations if not c.demo]
    # The demo region's sub-region without bodies gets a bestuurlijk and an ambtelijk overleg.
    for coop in cooperations:
        if coop.demo and not coop.bodies and coop.places:
            admin = _body(
                ctx, coop, name=f"Bestuurlijk overleg {coop.name}", kind=Body.Kind.ADMINISTRATIVE_COORDINATION,
                frequency=Body.Frequency.MONTHLY, weekday=Body.Weekday.TUESDAY, start_time=datetime.time(15, 0),
            )  # fmt: skip
            _seats(ctx, admin, [(p, p.mayor) for p in coop.places], coop.places[0].secretary, since)
            official = _body(
                ctx, coop, name=f"Ambtelijk overleg secretarissen {coop.name}", kind=Body.Kind.SECRETARIES,
                frequency=Body.Frequency.MONTHLY, weekday=Body.Weekday.MONDAY, prepares_id=admin.pk,
            )  # fmt: skip
            _seats(ctx, official, [(p, p.secretary) for p in coop.places], coop.places[0].project_leaders[0], since)
            coop.adopting = admin
    existing = sum(len(c.bodies) for c in cooperations)
    structural = 5 + len(areas)
    wanted = round(BODIES * ctx.municipality_count / 342)
    spare = max(0, wanted - existing - structural * len(generated))
    for index, coop in enumerate(generated):
        places, region = coop.places, coop.name.split(" ", 1)[-1]
        chair = places[0]
        admin = _body(
            ctx, coop, name=f"Bestuurlijk afstemmingsoverleg {region}", kind=Body.Kind.ADMINISTRATIVE_COORDINATION,
            frequency=Body.Frequency.FORTNIGHTLY, weekday=Body.Weekday.THURSDAY, start_time=datetime.time(16, 0),
            location=f"Stadhuis {chair.name}",
        )  # fmt: skip
        add_office(ctx, chair.secretary, Office.Role.COORDINATING_SECRETARY, since, municipality_id=chair.pk)
        _seats(ctx, admin, [(p, p.mayor) for p in places], chair.secretary, since)
        if coop.director:
            _seat(ctx, admin, coop.director, Role.ADVISORY_MEMBER, since)
        coop.adopting = admin
        secretaries = _body(
            ctx, coop, name=f"Overleg gemeentesecretarissen {region}", kind=Body.Kind.SECRETARIES,
            frequency=Body.Frequency.FORTNIGHTLY, weekday=Body.Weekday.MONDAY, start_time=datetime.time(9, 0),
            prepares_id=admin.pk, location="Online (Teams)",
        )  # fmt: skip
        _seats(ctx, secretaries, [(p, p.secretary) for p in places], chair.project_leaders[0], since)
        coordination = _body(
            ctx, coop, name=f"Coördinatieoverleg regionale samenwerking {region}", kind=Body.Kind.COORDINATION,
            frequency=Body.Frequency.QUARTERLY, weekday=Body.Weekday.FRIDAY, week_of_month=2,
        )  # fmt: skip
        _seats(ctx, coordination, [(p, p.mayor) for p in places[:6]], chair.secretary, since)
        committee = _body(
            ctx, coop, name=f"Regionale agendacommissie {region}", kind=Body.Kind.REGIONAL_AGENDA_COMMITTEE,
            frequency=Body.Frequency.SIX_WEEKLY, weekday=Body.Weekday.MONDAY, start_time=datetime.time(19, 30),
        )  # fmt: skip
        seats = [(p, m) for p in places for m in p.council_members[:2]]
        _seats(ctx, committee, seats, chair.griffier, since)
        _body(
            ctx, coop, name=f"Regionale raadsbijeenkomst {region}", kind=Body.Kind.JOINT_COUNCIL,
            expected_meetings_per_year=3,
        )  # fmt: skip
        official_areas = rng.sample(areas, min(len(areas), spare // (len(generated) - index)))
        spare -= len(official_areas)
        for offset, area in enumerate(areas):
            name = ctx.portfolios[area]
            holders = [(p, p.aldermen.get(area)) for p in places if rng.random() < 0.85]
            secretary = places[offset % len(places)].project_leaders[0]
            pho = _body(
                ctx, coop, name=f"Portefeuillehoudersoverleg {name} {region}", kind=Body.Kind.PORTFOLIO_HOLDERS,
                policy_area_id=area, frequency=Body.Frequency.SIX_WEEKLY, weekday=Body.Weekday.WEDNESDAY,
                start_time=datetime.time(14, 0),
            )  # fmt: skip
            _seats(ctx, pho, holders or [(places[0], places[0].aldermen.get(area))], secretary, since)
            if area in official_areas:
                official = _body(
                    ctx, coop, name=f"Ambtelijk vooroverleg {name} {region}", kind=Body.Kind.SECRETARIES,
                    frequency=Body.Frequency.SIX_WEEKLY, weekday=Body.Weekday.TUESDAY, prepares_id=pho.pk,
                    start_time=datetime.time(9, 30),
                )  # fmt: skip
                leaders = [(p, p.project_leaders[-1]) for p in places[:9]]
                _seats(ctx, official, leaders[1:], leaders[0][1], since)


def load_work(ctx: Scale) -> None:
    """Per cooperation: five main tasks, a work programme a year with entries and progress, and the
    monthly evaluations of the coordination structure."""
    rng = ctx.rng
    year = ctx.today.year
    taken_programmes = set(WorkProgramme.objects.values_list("cooperation_id", "year"))
    taken_evaluations = set(MonthlyEvaluation.objects.values_list("cooperation_id", "month"))
    months = min(120, ctx.scaled(120))
    for coop in ctx.extra["cooperations"]:
        phos = [b for b in coop.bodies if b.kind == Body.Kind.PORTFOLIO_HOLDERS]
        coordination = next((b for b in coop.bodies if b.kind == Body.Kind.COORDINATION), None)
        tasks = list(RegionalTask.objects.filter(cooperation_id=coop.pk).values_list("pk", flat=True))
        if not tasks and phos:
            for position, body in enumerate(rng.sample(phos, min(5, len(phos))), start=1):
                tasks.append(
                    ctx.table(RegionalTask).add(
                        cooperation_id=coop.pk,
                        name=f"Regionale opgave {ctx.portfolios[body.policy_area].lower()}",
                        lead_body_id=body.pk,
                        description="Een van de hoofdopgaven van het werkprogramma.",
                        position=position,
                    )
                )
        for programme_year in range(year - 9, year + 2):
            if (coop.pk, programme_year) in taken_programmes or not tasks:
                continue
            past = programme_year <= year
            status = WorkProgramme.Status.ADOPTED if past else WorkProgramme.Status.DRAFT
            programme = ctx.table(WorkProgramme).add(
                cooperation_id=coop.pk,
                year=programme_year,
                status=status,
                council_input_until=datetime.date(programme_year - 1, 12, 1) if past else None,
                adopted_by_id=coordination.pk if past and coordination else None,
                adopted_on=datetime.date(programme_year, 2, 1) if past else None,
            )
            for task in tasks:
                ctx.table(WorkProgrammeEntry).add(
                    programme_id=programme, task_id=task, what="Uitvoering volgens de regionale agenda.",
                    when=f"{rng.choice(['eerste', 'tweede', 'derde', 'vierde'])} kwartaal {programme_year}",
                )  # fmt: skip
                if past:
                    done = programme_year < year
                    ctx.table(ProgressReport).add(
                        programme_id=programme,
                        task_id=task,
                        status=ProgressReport.Status.DONE if done else rng.choice(["on_track", "delayed"]),
                        progress="De mijlpalen van het jaar zijn gehaald."
                        if done
                        else "Op koers, met vertraging bij één project.",
                        next_step="" if done else "Tussenrapportage aan de raden.",
                        reported_on=datetime.date(programme_year, 11, 15) if done else ctx.today - 30 * DAY,
                    )
        for back in range(1, months + 1):
            month = _month_back(ctx.today, back)
            if (coop.pk, month) in taken_evaluations:
                continue
            evaluation = ctx.table(MonthlyEvaluation).add(
                cooperation_id=coop.pk, month=month, findings=rng.choice(EVALUATION_FINDINGS), lock_version=1
            )
            if rng.random() < 0.3 and coop.bodies:
                ctx.table(EvaluationAdjustment).add(
                    evaluation_id=evaluation,
                    body_id=rng.choice(coop.bodies).pk,
                    change="De agenda sluit twee dagen eerder.",
                )
    ctx.flush()


def _month_back(today: datetime.date, back: int) -> datetime.date:
    index = today.year * 12 + today.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)
