"""The demo region: Kennemerland with its nine municipalities, three
cooperations and the bodies of the source documents. Every person is invented.

`load()` is idempotent: each row is found by its natural key and updated, so a
second run changes nothing and adds nothing."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from governance.models import ConsultationBody, Cooperation, Membership, Participation, RegionalTask
from municipalities.models import Municipality, Office, Person, Portfolio, RegionalOrganisation

D = datetime.date

MUNICIPALITIES = [
    ("Beverwijk", "GM0375", "https://www.beverwijk.nl"),
    ("Bloemendaal", "GM0377", "https://www.bloemendaal.nl"),
    ("Haarlem", "GM0392", "https://haarlem.nl"),
    ("Haarlemmermeer", "GM0394", "https://haarlemmermeer.nl"),
    ("Heemskerk", "GM0396", "https://www.heemskerk.nl"),
    ("Heemstede", "GM0397", "https://www.heemstede.nl"),
    ("Uitgeest", "GM0450", "https://www.uitgeest.nl"),
    ("Velsen", "GM0453", "https://www.velsen.nl"),
    ("Zandvoort", "GM0473", "https://www.zandvoort.nl"),
]
ZUID_KENNEMERLAND = ["Bloemendaal", "Haarlem", "Heemstede", "Zandvoort"]
IJMOND = ["Beverwijk", "Heemskerk", "Uitgeest", "Velsen"]

LANDSCHAP, ECONOMIE, WONEN, KLIMAAT, BEREIKBAARHEID = (
    "Landschap",
    "Economie",
    "Wonen",
    "Klimaat en duurzaamheid",
    "Bereikbaarheid",
)
PUBLIC_ORDER = "Openbare orde en veiligheid"  # the mayor's by law (Gemeentewet art. 172)
PORTFOLIOS = [LANDSCHAP, ECONOMIE, WONEN, KLIMAAT, BEREIKBAARHEID, "Sociaal domein", "Financiën", PUBLIC_ORDER]

# The five regional main tasks of the Zuid-Kennemerland covenant and their policy areas.
MAIN_TASKS = [
    ("Het versterken van het landschap", LANDSCHAP),
    ("Het beter benutten van ons economisch kapitaal", ECONOMIE),
    ("De regionale woonagenda, een plek voor iedereen", WONEN),
    ("Inspelen op het veranderende klimaat", KLIMAAT),
    ("Het verbinden van onze opgaven met betere bereikbaarheid", BEREIKBAARHEID),
]

# Aldermen per municipality and their portfolios (the covenant's four get three).
ALDERMEN_ZK = [[LANDSCHAP, KLIMAAT], [ECONOMIE, BEREIKBAARHEID], [WONEN, "Sociaal domein", "Financiën"]]
ALDERMEN_OTHER = [[ECONOMIE, WONEN, "Financiën"], [KLIMAAT, BEREIKBAARHEID, LANDSCHAP, "Sociaal domein"]]

GIVEN_NAMES = [
    "Anna", "Bram", "Carla", "Daan", "Eva", "Fleur", "Gijs", "Hanna", "Ilse", "Joost",
    "Karin", "Lars", "Marieke", "Niels", "Olga", "Pieter", "Quirine", "Ruud", "Sanne", "Tom",
    "Ursula", "Vincent", "Wendy", "Xander", "Yara", "Zeger", "Amira", "Bas", "Chantal", "Dirk",
    "Esther", "Frank", "Gerda", "Hamza", "Inge", "Jeroen", "Kim", "Leon", "Mila",
]  # fmt: skip
SURNAMES = [
    ("", "Aalders"), ("van", "Beek"), ("de", "Corte"), ("", "Dekker"), ("van den", "Eijnde"),
    ("", "Fokkema"), ("de", "Graaf"), ("", "Hoekstra"), ("van", "Ingen"), ("", "Jansen"),
    ("", "Kuipers"), ("van der", "Linden"), ("", "Meijer"), ("", "Nijland"), ("", "Oosterhout"),
    ("", "Postma"), ("de", "Ruiter"), ("", "Smits"), ("ter", "Horst"), ("", "Uiterwijk"),
    ("van", "Veen"), ("de", "Wit"), ("", "Yilmaz"), ("", "Zwart"), ("el", "Amrani"),
    ("", "Brouwer"), ("van", "Dam"), ("", "Groen"), ("", "Hendriks"), ("", "Kramer"),
    ("", "Mulder"), ("", "Peters"), ("", "Verhoeven"), ("", "Willems"), ("", "Bakker"),
    ("van", "Leeuwen"), ("", "Schouten"), ("", "Visser"), ("", "Bos"), ("", "Vos"), ("", "Koster"),
]  # fmt: skip

MAYORS_FROM = D(2021, 9, 1)
COUNCIL_TERM_FROM = D(2026, 5, 1)  # after the municipal elections of March 2026
PREVIOUS_TERM = (D(2022, 5, 1), D(2026, 4, 30))
CIVIL_SERVICE_FROM = D(2019, 1, 1)


@dataclass
class DemoRegion:
    """What `load()` made, by name, for the log-ins and the tests."""

    municipalities: dict[str, Municipality] = field(default_factory=dict)
    portfolios: dict[str, Portfolio] = field(default_factory=dict)
    cooperations: dict[str, Cooperation] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    bodies: dict[str, ConsultationBody] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)


# One log-in per role: user name, the person's key, and the role as the README lists it.
LOGINS = [
    ("coordinator", "regional_coordinator", "regionaal coördinator (beheer)"),
    ("secretaris", "Haarlem:municipal_secretary", "gemeentesecretaris Haarlem, coördinerend secretaris"),
    ("burgemeester", "Haarlem:mayor", "burgemeester Haarlem, voorzitter bestuurlijk afstemmingsoverleg"),
    ("wethouder", "Haarlem:alderman:0", "wethouder Haarlem (landschap, klimaat)"),
    ("griffier", "Haarlem:griffier", "griffier Haarlem"),
    ("raadslid", "Haarlem:council_member:0", "raadslid Haarlem, regionale agendacommissie"),
    ("projectleider", "Haarlem:project_leader", "projectleider Haarlem"),
    ("directeur", "safety_region_director", "directeur Veiligheidsregio Kennemerland"),
    ("buitenstaander", "outsider", "geen ambt (ziet alleen de eigen startpagina)"),
]


class _Names:
    """Hands out invented names in a fixed order, so every run gives the same people."""

    def __init__(self) -> None:
        self.index = 0

    def next(self) -> tuple[str, str, str]:
        given = GIVEN_NAMES[self.index % len(GIVEN_NAMES)]
        prefix, surname = SURNAMES[(self.index * 7) % len(SURNAMES)]
        self.index += 1
        return given, prefix, surname


def _upsert(model, defaults: dict | None = None, **lookup):
    """Like update_or_create, but saves only what differs, so a second run
    writes no history rows."""
    defaults = defaults or {}
    obj, created = model.objects.get_or_create(**lookup, defaults=defaults)
    changed = [name for name, value in defaults.items() if getattr(obj, name) != value]
    if not created and changed:
        for name in changed:
            setattr(obj, name, defaults[name])
        obj.save()
    return obj


def _email(given: str, prefix: str, surname: str, domain: str) -> str:
    local = ".".join(part for part in (given, prefix.replace(" ", ""), surname) if part).lower()
    return f"{local}@{domain}.example"


@transaction.atomic
def load(password: str) -> DemoRegion:
    region = DemoRegion()
    names = _Names()

    def person(key: str, domain: str) -> Person:
        given, prefix, surname = names.next()
        obj = _upsert(
            Person,
            email=_email(given, prefix, surname, domain),
            defaults={"given_name": given, "surname_prefix": prefix, "surname": surname},
        )
        region.people[key] = obj
        return obj

    def office(holder: Person, role: str, starts_on: datetime.date, ends_on=None, portfolios=(), **where) -> Office:
        obj = _upsert(Office, person=holder, role=role, starts_on=starts_on, **where, defaults={"ends_on": ends_on})
        wanted = {region.portfolios[name] for name in portfolios}
        if set(obj.portfolios.all()) != wanted:
            obj.portfolios.set(wanted)
        return obj

    for name, code, website in MUNICIPALITIES:
        region.municipalities[name] = _upsert(Municipality, cbs_code=code, defaults={"name": name, "website": website})
    for name in PORTFOLIOS:
        region.portfolios[name] = _upsert(Portfolio, name=name, defaults={"held_by_mayor": name == PUBLIC_ORDER})
    vrk = _upsert(
        RegionalOrganisation,
        name="Veiligheidsregio Kennemerland",
        defaults={"abbreviation": "VRK", "website": "https://www.vrk.nl"},
    )

    cooperations = [
        ("Veiligheidsregio Kennemerland", "VRK", Cooperation.Kind.SAFETY_REGION, vrk, D(2010, 1, 1), None,
         [m for m, _, _ in MUNICIPALITIES]),
        ("Zuid-Kennemerland", "ZK", Cooperation.Kind.COVENANT, None, D(2021, 1, 1), 2, ZUID_KENNEMERLAND),
        ("IJmond", "IJmond", Cooperation.Kind.SUBREGION, None, D(2018, 1, 1), None, IJMOND),
    ]  # fmt: skip
    for name, abbreviation, kind, organisation, starts_on, evaluation, members in cooperations:
        cooperation = _upsert(
            Cooperation,
            name=name,
            defaults={
                "abbreviation": abbreviation,
                "kind": kind,
                "organisation": organisation,
                "starts_on": starts_on,
                "evaluation_after_years": evaluation,
            },
        )
        region.cooperations[abbreviation] = cooperation
        for municipality in members:
            Participation.objects.get_or_create(
                cooperation=cooperation, municipality=region.municipalities[municipality], joined_on=starts_on
            )

    # People in every office of every municipality.
    for name, _, _ in MUNICIPALITIES:
        municipality = region.municipalities[name]
        domain = name.lower()
        office(person(f"{name}:mayor", domain), Office.Role.MAYOR, MAYORS_FROM, municipality=municipality)
        aldermen = ALDERMEN_ZK if name in ZUID_KENNEMERLAND else ALDERMEN_OTHER
        for index, portfolios in enumerate(aldermen):
            office(
                person(f"{name}:alderman:{index}", domain),
                Office.Role.ALDERMAN,
                COUNCIL_TERM_FROM,
                portfolios=portfolios,
                municipality=municipality,
            )
        office(
            person(f"{name}:municipal_secretary", domain),
            Office.Role.MUNICIPAL_SECRETARY,
            CIVIL_SERVICE_FROM,
            municipality=municipality,
        )
        office(
            person(f"{name}:project_leader", domain),
            Office.Role.PROJECT_LEADER,
            D(2023, 1, 1),
            municipality=municipality,
        )
        office(person(f"{name}:griffier", domain), Office.Role.GRIFFIER, CIVIL_SERVICE_FROM, municipality=municipality)
        if name in ZUID_KENNEMERLAND:
            for index in range(2):
                office(
                    person(f"{name}:council_member:{index}", domain),
                    Office.Role.COUNCIL_MEMBER,
                    COUNCIL_TERM_FROM,
                    municipality=municipality,
                )
    # A former alderman of Heemstede, so history and date queries have a past to show.
    office(
        person("Heemstede:former_alderman", "heemstede"),
        Office.Role.ALDERMAN,
        PREVIOUS_TERM[0],
        ends_on=PREVIOUS_TERM[1],
        portfolios=[WONEN],
        municipality=region.municipalities["Heemstede"],
    )
    haarlem = region.municipalities["Haarlem"]
    office(
        region.people["Haarlem:municipal_secretary"],
        Office.Role.COORDINATING_SECRETARY,
        D(2020, 5, 1),
        municipality=haarlem,
    )
    office(person("regional_coordinator", "vrk"), Office.Role.REGIONAL_COORDINATOR, D(2020, 5, 1), organisation=vrk)
    office(person("safety_region_director", "vrk"), Office.Role.SAFETY_REGION_DIRECTOR, D(2018, 1, 1), organisation=vrk)
    person("outsider", "example")

    _load_bodies(region)
    _load_logins(region, password)
    _load_work_programmes(region)
    return region


def _body(region: DemoRegion, key: str, **fields) -> ConsultationBody:
    body = _upsert(ConsultationBody, name=fields.pop("name"), defaults=fields)
    region.bodies[key] = body
    return body


def _seat(body: ConsultationBody, holder: Person, role: str, starts_on: datetime.date, on_behalf_of=None) -> None:
    _upsert(
        Membership, body=body, person=holder, role=role, starts_on=starts_on, defaults={"on_behalf_of": on_behalf_of}
    )


def _load_bodies(region: DemoRegion) -> None:
    Body, Role = ConsultationBody, Membership.Role
    vrk, zk = region.cooperations["VRK"], region.cooperations["ZK"]
    people, municipalities = region.people, region.municipalities
    established = D(2020, 5, 15)  # the administrative meeting of the seed, spring 2020

    administrative = _body(
        region,
        "administrative",
        name="Bestuurlijk afstemmingsoverleg Kennemerland",
        article=Body.Article.HET,
        abbreviation="BAO",
        kind=Body.Kind.ADMINISTRATIVE_COORDINATION,
        cooperation=vrk,
        frequency=Body.Frequency.FORTNIGHTLY,
        weekday=Body.Weekday.THURSDAY,
        usual_start_time=datetime.time(16, 0),
        usual_location="Stadhuis Haarlem, Grote Markt 2",
    )
    secretaries = _body(
        region,
        "secretaries",
        name="Overleg gemeentesecretarissen Kennemerland",
        article=Body.Article.HET,
        abbreviation="OGS",
        kind=Body.Kind.SECRETARIES,
        cooperation=vrk,
        prepares=administrative,
        frequency=Body.Frequency.FORTNIGHTLY,
        weekday=Body.Weekday.MONDAY,
        usual_start_time=datetime.time(9, 0),
        usual_location="Online (Teams)",
    )
    for name, _, _ in MUNICIPALITIES:
        municipality = municipalities[name]
        mayor_role = Role.CHAIR if name == "Haarlem" else Role.MEMBER
        _seat(administrative, people[f"{name}:mayor"], mayor_role, established, municipality)
        secretary_role = Role.CHAIR if name == "Haarlem" else Role.MEMBER
        _seat(secretaries, people[f"{name}:municipal_secretary"], secretary_role, established, municipality)
    for body in (administrative, secretaries):
        _seat(body, people["safety_region_director"], Role.ADVISORY_MEMBER, established)
        _seat(body, people["regional_coordinator"], Role.SECRETARY, established)

    for index, (task_name, area) in enumerate(MAIN_TASKS):
        pho = _body(
            region,
            f"pho:{area}",
            name=f"Portefeuillehoudersoverleg {area} Zuid-Kennemerland",
            article=Body.Article.HET,
            abbreviation=f"PHO {area}",
            kind=Body.Kind.PORTFOLIO_HOLDERS,
            cooperation=zk,
            policy_area=region.portfolios[area],
            frequency=Body.Frequency.SIX_WEEKLY,
            weekday=Body.Weekday.WEDNESDAY,
            usual_start_time=datetime.time(14, 0),
        )
        chair_municipality = ZUID_KENNEMERLAND[index % len(ZUID_KENNEMERLAND)]
        for name in ZUID_KENNEMERLAND:
            alderman = next(people[f"{name}:alderman:{i}"] for i, areas in enumerate(ALDERMEN_ZK) if area in areas)
            role = Role.CHAIR if name == chair_municipality else Role.MEMBER
            _seat(pho, alderman, role, COUNCIL_TERM_FROM, municipalities[name])
        _seat(pho, people[f"{chair_municipality}:project_leader"], Role.SECRETARY, COUNCIL_TERM_FROM)
        _upsert(RegionalTask, cooperation=zk, name=task_name, defaults={"lead_body": pho, "position": index + 1})

    committee = _body(
        region,
        "agenda_committee",
        name="Regionale agendacommissie Zuid-Kennemerland",
        article=Body.Article.DE,
        abbreviation="RAC",
        kind=Body.Kind.REGIONAL_AGENDA_COMMITTEE,
        cooperation=zk,
        frequency=Body.Frequency.SIX_WEEKLY,
        weekday=Body.Weekday.MONDAY,
        usual_start_time=datetime.time(19, 30),
    )
    for name in ZUID_KENNEMERLAND:
        for index in range(2):
            role = Role.CHAIR if (name, index) == ("Heemstede", 0) else Role.MEMBER
            _seat(committee, people[f"{name}:council_member:{index}"], role, COUNCIL_TERM_FROM, municipalities[name])
    _seat(committee, people["Haarlem:griffier"], Role.SECRETARY, COUNCIL_TERM_FROM)

    coordination = _body(
        region,
        "coordination",
        name="Coördinatieoverleg regionale samenwerking Zuid-Kennemerland",
        article=Body.Article.HET,
        abbreviation="CRS",
        kind=Body.Kind.COORDINATION,
        cooperation=zk,
        frequency=Body.Frequency.QUARTERLY,
        weekday=Body.Weekday.FRIDAY,
        week_of_month=Body.WeekOfMonth.SECOND,
        usual_start_time=datetime.time(10, 0),
    )
    for name in ZUID_KENNEMERLAND:
        role = Role.CHAIR if name == "Haarlem" else Role.MEMBER
        _seat(coordination, people[f"{name}:mayor"], role, D(2021, 1, 1), municipalities[name])
    _seat(coordination, people["Haarlem:municipal_secretary"], Role.SECRETARY, D(2021, 1, 1))

    _body(
        region,
        "joint_council",
        name="Regionale raadsbijeenkomst Zuid-Kennemerland",
        article=Body.Article.DE,
        abbreviation="RRB",
        kind=Body.Kind.JOINT_COUNCIL,
        cooperation=zk,
        frequency=Body.Frequency.AD_HOC,
        expected_meetings_per_year=3,
    )
    _body(
        region,
        "joint_council_ijmond",
        name="Regionale raadsbijeenkomst Zuid-Kennemerland en IJmond",
        article=Body.Article.DE,
        abbreviation="RRB ZK-IJ",
        kind=Body.Kind.JOINT_COUNCIL,
        cooperation=zk,
        frequency=Body.Frequency.AD_HOC,
        expected_meetings_per_year=2,
    )
    # It belongs to the two sub-regions it joins, not to the safety region (which has Haarlemmermeer too).
    joint = region.bodies["joint_council_ijmond"]
    if set(joint.also_joins.all()) != {region.cooperations["IJmond"]}:
        joint.also_joins.set([region.cooperations["IJmond"]])


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


# Every other mayor and municipal secretary logs in too, so each college can decide.
EXTRA_LOGINS = [
    (f"{prefix}-{_slug(name)}", f"{name}:{role}", f"{label} {name}")
    for name, _, _ in MUNICIPALITIES
    if name != "Haarlem"
    for prefix, role, label in (
        ("burgemeester", "mayor", "burgemeester"),
        ("secretaris", "municipal_secretary", "gemeentesecretaris"),
    )
]


def _load_logins(region: DemoRegion, password: str) -> None:
    User = get_user_model()
    for username, key, description in LOGINS + EXTRA_LOGINS:
        holder = region.people[key]
        user, _ = User.objects.get_or_create(username=username, defaults={"email": holder.email})
        user.email = holder.email
        user.first_name, user.last_name = (
            holder.given_name,
            " ".join(p for p in (holder.surname_prefix, holder.surname) if p),
        )
        user.set_password(password)
        user.save()
        if holder.user_id != user.pk:
            holder.user = user
            holder.save()
        if (username, key, description) in LOGINS:
            region.logins.append((username, holder.full_name, description))


def _load_work_programmes(region: DemoRegion) -> None:
    """This year's work programme of Zuid-Kennemerland, adopted, with progress; next year's in draft."""
    from governance.models import ProgressReport, WorkProgramme, WorkProgrammeEntry

    zk = region.cooperations["ZK"]
    year = datetime.date.today().year
    current, created = WorkProgramme.objects.get_or_create(cooperation=zk, year=year)
    if created:
        for task in zk.regional_tasks.all():
            WorkProgrammeEntry.objects.create(
                programme=current, task=task, what=f"Uitvoeringsagenda {task.name.lower()}", when=f"{year}"
            )
            ProgressReport.objects.create(
                programme=current,
                task=task,
                status=ProgressReport.Status.ON_TRACK,
                progress="De portefeuillehouders hebben de eerste mijlpalen gehaald.",
                next_step="Tussenrapportage aan de raden in het najaar.",
            )
        current.status = WorkProgramme.Status.ADOPTED
        current.adopted_on = datetime.date(year, 3, 1)
        current.adopted_by = region.bodies["coordination"]
        current.save()
    WorkProgramme.objects.get_or_create(cooperation=zk, year=year + 1)
