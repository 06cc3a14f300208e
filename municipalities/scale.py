"""The national-scale dataset, part one: the bulk writer every app's scale module uses, and the
municipalities of the country with their people, log-ins and offices (`manage.py load_scale`).

The demo region (governance/demo.py) stays as it is; the rest of the country is generated around it,
reproducibly from one seed. Nothing here saves objects one by one: rows go out in large batches, by
COPY on PostgreSQL and by bulk_create elsewhere, so no signal runs per row."""

from __future__ import annotations

import datetime
import io
import json
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

from municipalities.models import Municipality, Office, Person, Portfolio

DAY = datetime.timedelta(days=1)


class Rows:
    """The new rows of one table, written in batches: COPY on PostgreSQL, bulk_create elsewhere.

    Primary keys are handed out here, from the table's highest, so rows can refer to each other before
    they are written; `reset_sequences` sets the database sequences past them at the end. Fields not
    given take the model's default (computed once per table)."""

    BATCH = 20_000

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.pk_name = model._meta.pk.attname
        self.next_id = (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1
        now = timezone.now()
        self.defaults = {}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            elif f.has_default():
                self.defaults[f.attname] = f.get_default()
            else:
                self.defaults[f.attname] = "" if f.empty_strings_allowed and not f.null else None
        self.pending: list[dict] = []
        self.written = 0

    def add(self, **values) -> int:
        pk = self.next_id
        self.next_id += 1
        values[self.pk_name] = pk
        self.pending.append(values)
        if len(self.pending) >= self.BATCH:
            self.flush()
        return pk

    def flush(self) -> None:
        if not self.pending:
            return
        if connection.vendor == "postgresql":
            self._copy()
        else:
            self.model.objects.bulk_create(
                [self.model(**{**self.defaults, **values}) for values in self.pending], batch_size=2_000
            )
        self.written += len(self.pending)
        self.pending = []

    def _copy(self) -> None:
        names = [f.attname for f in self.fields]
        defaults = self.defaults
        buffer = io.StringIO()
        for values in self.pending:
            buffer.write("\t".join([_copy_text(values.get(name, defaults[name])) for name in names]))
            buffer.write("\n")
        buffer.seek(0)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False).translate(_ESCAPES)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def reset_sequences(model_list: list[type[models.Model]]) -> None:
    """After rows were written with their own primary keys: the next insert takes the next free key."""
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


@dataclass
class Holder:
    """A person holding an office, as the later parts need them."""

    person_id: int
    name: str
    user_id: int | None = None


@dataclass
class Place:
    """A municipality with the people of its offices."""

    pk: int
    name: str
    cbs_code: str
    demo: bool = False
    mayor: Holder | None = None
    secretary: Holder | None = None
    griffier: Holder | None = None
    project_leaders: list[Holder] = field(default_factory=list)
    aldermen: dict[int, Holder] = field(default_factory=dict)  # by portfolio id
    council_members: list[Holder] = field(default_factory=list)

    @property
    def office_holders(self) -> list[Holder]:
        """Everyone with a current office, without repeats."""
        people = [self.mayor, self.secretary, self.griffier, *self.project_leaders, *self.aldermen.values()]
        people += self.council_members
        return list({h.person_id: h for h in people if h is not None}.values())


@dataclass
class Scale:
    """What the parts of the load share: the seed's random source, the size, the dates and the ids made."""

    rng: random.Random
    factor: float
    today: datetime.date
    password_hash: str
    municipality_count: int = 342
    rows: dict[type, Rows] = field(default_factory=dict)
    places: list[Place] = field(default_factory=list)
    portfolios: dict[int, str] = field(default_factory=dict)  # id: name
    public_order: int | None = None
    # Filled by the later parts (governance, meetings, decisions).
    extra: dict = field(default_factory=dict)

    @property
    def window_start(self) -> datetime.date:
        """Ten years of meetings: nine past, one to come."""
        return datetime.date(self.today.year - 9, 1, 1)

    @property
    def window_end(self) -> datetime.date:
        return self.today + datetime.timedelta(days=365)

    def scaled(self, at_factor_one: int, minimum: int = 1) -> int:
        return max(minimum, round(at_factor_one * self.factor))

    def table(self, model: type[models.Model]) -> Rows:
        if model not in self.rows:
            self.rows[model] = Rows(model)
        return self.rows[model]

    def flush(self) -> None:
        for rows in self.rows.values():
            rows.flush()


GIVEN_NAMES = [
    "Aafke", "Abdel", "Adriaan", "Aline", "Anouk", "Arjen", "Astrid", "Bart", "Bianca", "Bram", "Carin",
    "Cas", "Daphne", "Dennis", "Dewi", "Dirk", "Ellen", "Emre", "Esmée", "Erik", "Femke", "Floris", "Geert",
    "Hanneke", "Hans", "Harm", "Hester", "Ingrid", "Jaap", "Janneke", "Jasper", "Jolanda", "Joris", "Karim",
    "Kees", "Lieke", "Linda", "Lotte", "Maarten", "Marloes", "Martijn", "Meryem", "Mirjam", "Nadia", "Noor",
    "Okke", "Paul", "Petra", "Priya", "Remco", "Rianne", "Rik", "Roos", "Sander", "Saskia", "Sem", "Sophie",
    "Stijn", "Tamara", "Thijs", "Tineke", "Ton", "Vera", "Wessel", "Willemijn", "Wouter", "Yvonne", "Zoë",
]  # fmt: skip
SURNAMES = [
    ("", "Altena"), ("", "Bakker"), ("van", "Beers"), ("", "Boersma"), ("de", "Boer"), ("", "Bosman"),
    ("van den", "Broek"), ("", "Claassen"), ("van", "Dijk"), ("", "Doorn"), ("", "Eenhoorn"), ("", "Evers"),
    ("", "Feenstra"), ("de", "Haan"), ("", "Hoogland"), ("", "Huisman"), ("de", "Jong"), ("", "Kaya"),
    ("", "Keizer"), ("de", "Klerk"), ("", "Koopmans"), ("van der", "Laan"), ("", "Lammers"), ("", "Maas"),
    ("van der", "Meer"), ("", "Mol"), ("", "Nieuwenhuis"), ("", "Oudshoorn"), ("", "Pronk"), ("", "Rietveld"),
    ("", "Roelofs"), ("", "Schipper"), ("", "Sijbrands"), ("", "Stam"), ("", "Tuinstra"), ("van", "Vliet"),
    ("", "Vermeulen"), ("de", "Vries"), ("", "Wijnands"), ("van", "Wijk"), ("", "Zijlstra"), ("", "Öztürk"),
    ("el", "Idrissi"), ("", "Timmermans"), ("van 't", "Hof"), ("ten", "Brink"), ("", "Veldman"), ("", "Kok"),
]  # fmt: skip
NAME_STARTS = [
    "Aar", "Berg", "Bree", "Broek", "Dal", "Dongen", "Eem", "Elst", "Est", "Gelder", "Goor", "Gulp", "Haar",
    "Hout", "Ijssel", "Kamp", "Kroon", "Laar", "Lind", "Loon", "Maas", "Meer", "Molen", "Noord", "Oost",
    "Ooster", "Peel", "Rijn", "Roer", "Schaar", "Sloot", "Stee", "Veen", "Vlier", "Waal", "Wester", "Wold",
    "Zand", "Zee", "Zuider", "Bever", "Dinkel", "Eelde", "Geul", "Hunze", "Lek", "Linge", "Vecht", "Amstel",
]  # fmt: skip
NAME_ENDS = [
    "dam", "dijk", "hoven", "wijk", "meer", "veen", "horst", "broek", "loo", "berg", "um", "ingen", "rode",
    "mond", "zijl", "wolde", "kerk", "aarde", "beek", "burg", "dorp", "haven", "heim", "land", "stein",
    "veld", "woude", "lo", "sel", "drecht",
]  # fmt: skip
NAME_PREFIXES = ["", "", "", "", "", "", "Nieuw-", "Oud-", "Sint-", "Groot-", "Midden-", "West-", "Oost-"]
EXTRA_PORTFOLIOS = [
    "Onderwijs", "Jeugd", "Zorg en welzijn", "Werk en inkomen", "Cultuur en erfgoed", "Sport en recreatie",
    "Ruimtelijke ordening", "Energietransitie", "Digitalisering", "Water en bodem", "Afval en grondstoffen",
    "Toerisme",
]  # fmt: skip
MAYOR_PORTFOLIO = "Openbare orde en veiligheid"


def slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")


def _municipality_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    seen = {n.lower() for n in taken}
    while len(names) < count:
        end = rng.choice(NAME_ENDS)
        name = rng.choice(NAME_PREFIXES) + rng.choice(NAME_STARTS) + end
        if rng.random() < 0.15:
            name += " aan " + rng.choice(["Zee", "de Maas", "de Vecht", "den IJssel", "de Rijn", "de Amstel"])
        if name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


def person_name(rng: random.Random) -> tuple[str, str, str]:
    given = rng.choice(GIVEN_NAMES)
    prefix, surname = rng.choice(SURNAMES)
    return given, prefix, surname


def add_person(ctx: Scale, domain: str, login: str | None = None) -> Holder:
    """A new person with a unique address, and a log-in when a user name is given."""
    given, prefix, surname = person_name(ctx.rng)
    people = ctx.table(Person)
    user_id = None
    last = " ".join(p for p in (prefix, surname) if p)
    number = people.next_id
    email = f"{given}.{surname}.{number}@{domain}.example".lower().replace(" ", "")
    if login:
        user_id = ctx.table(get_user_model()).add(
            username=login,
            password=ctx.password_hash,
            first_name=given,
            last_name=last,
            email=email,
            date_joined=timezone.now(),
        )
    delivery = ctx.rng.choices(
        [Person.Delivery.EMAIL, Person.Delivery.DIGEST, Person.Delivery.PORTAL], weights=[75, 15, 10]
    )[0]
    pk = people.add(
        given_name=given,
        surname_prefix=prefix,
        surname=surname,
        email=email,
        user_id=user_id,
        reminder_delivery=delivery,
    )
    return Holder(pk, " ".join(p for p in (given, prefix, surname) if p), user_id)


def add_office(ctx: Scale, holder: Holder, role: str, starts_on: datetime.date, ends_on=None, **where) -> int:
    return ctx.table(Office).add(person_id=holder.person_id, role=role, starts_on=starts_on, ends_on=ends_on, **where)


def new_scale(*, seed: int, factor: float, municipalities: int, password: str) -> Scale:
    return Scale(
        rng=random.Random(seed),
        factor=factor,
        today=timezone.localdate(),
        password_hash=make_password(password),
        municipality_count=municipalities,
    )


def _demo_places(ctx: Scale) -> list[Place]:
    """The municipalities already there (the demo region), with their current office holders."""
    places = {m.pk: Place(m.pk, m.name, m.cbs_code, demo=True) for m in Municipality.objects.order_by("pk")}
    offices = (
        Office.objects.current(ctx.today)
        .filter(municipality__in=list(places))
        .select_related("person")
        .prefetch_related("portfolios")
        .order_by("pk")
    )
    for office in offices:
        place = places[office.municipality_id]
        holder = Holder(office.person_id, office.person.full_name, office.person.user_id)
        role = office.role
        if role == Office.Role.MAYOR:
            place.mayor = holder
        elif role == Office.Role.MUNICIPAL_SECRETARY:
            place.secretary = holder
        elif role == Office.Role.GRIFFIER:
            place.griffier = holder
        elif role == Office.Role.PROJECT_LEADER:
            place.project_leaders.append(holder)
        elif role == Office.Role.COUNCIL_MEMBER:
            place.council_members.append(holder)
        elif role == Office.Role.ALDERMAN:
            for portfolio in office.portfolios.all():
                place.aldermen.setdefault(portfolio.pk, holder)
    return list(places.values())


def load_municipalities(ctx: Scale) -> None:
    """The portfolios, the municipalities of the country and the people in their offices."""
    rng = ctx.rng
    portfolios = ctx.table(Portfolio)
    existing = dict(Portfolio.objects.values_list("name", "pk"))
    for name in EXTRA_PORTFOLIOS:
        if name not in existing:
            existing[name] = portfolios.add(name=name, description="", held_by_mayor=False)
    if MAYOR_PORTFOLIO not in existing:
        existing[MAYOR_PORTFOLIO] = portfolios.add(name=MAYOR_PORTFOLIO, description="", held_by_mayor=True)
    ctx.public_order = existing[MAYOR_PORTFOLIO]
    ctx.portfolios = {pk: name for name, pk in sorted(existing.items(), key=lambda pair: pair[1])}
    aldermen_areas = [pk for pk in ctx.portfolios if pk != ctx.public_order]

    ctx.places = _demo_places(ctx)
    taken_codes = {p.cbs_code for p in ctx.places}
    names = _municipality_names(rng, max(0, ctx.municipality_count - len(ctx.places)), {p.name for p in ctx.places})
    code = 0
    start = ctx.window_start
    municipalities = ctx.table(Municipality)
    portfolio_links = ctx.table(Office.portfolios.through)
    for name in names:
        code += 1
        while f"GM{code:04d}" in taken_codes:
            code += 1
        domain = slug(name)
        pk = municipalities.add(
            name=name,
            cbs_code=f"GM{code:04d}",
            website=f"https://www.{domain}.nl",
            council_information_system_url=f"https://{domain}.raadsinformatie.example",
            council_lead_weeks=rng.choice([4, 5, 6, 6, 6, 8]),
        )
        place = Place(pk, name, f"GM{code:04d}")
        where = {"municipality_id": pk}
        place.mayor = add_person(ctx, domain, f"burgemeester-{domain}")
        add_office(ctx, place.mayor, Office.Role.MAYOR, start - rng.randrange(0, 2500) * DAY, **where)
        place.secretary = add_person(ctx, domain, f"secretaris-{domain}")
        add_office(ctx, place.secretary, Office.Role.MUNICIPAL_SECRETARY, start - rng.randrange(0, 2500) * DAY, **where)
        place.griffier = add_person(ctx, domain, f"griffier-{domain}")
        add_office(ctx, place.griffier, Office.Role.GRIFFIER, start - rng.randrange(0, 2500) * DAY, **where)
        for index in range(1 if rng.random() < 0.4 else 2):
            login = f"projectleider-{domain}-{index + 1}" if rng.random() < 0.5 else None
            leader = add_person(ctx, domain, login)
            place.project_leaders.append(leader)
            add_office(ctx, leader, Office.Role.PROJECT_LEADER, start - rng.randrange(0, 1500) * DAY, **where)
        if rng.random() < 0.3:
            loco = add_person(ctx, domain)
            add_office(ctx, loco, Office.Role.LOCO_SECRETARY, start - rng.randrange(0, 1500) * DAY, **where)
        # Every policy area to one of three to five aldermen; the first is also the loco-burgemeester.
        count = rng.choice([3, 4, 4, 5])
        aldermen = []
        for index in range(count):
            login = f"wethouder-{domain}-{index + 1}" if rng.random() < 0.3 else None
            aldermen.append((add_person(ctx, domain, login), start - rng.randrange(0, 700) * DAY))
        office_ids = [add_office(ctx, holder, Office.Role.ALDERMAN, since, **where) for holder, since in aldermen]
        add_office(ctx, aldermen[0][0], Office.Role.LOCO_MAYOR, aldermen[0][1], **where)
        areas = aldermen_areas[:]
        rng.shuffle(areas)
        for index, area in enumerate(areas):
            portfolio_links.add(office_id=office_ids[index % count], portfolio_id=area)
            place.aldermen[area] = aldermen[index % count][0]
        # A former alderman, so the offices have a past.
        former = add_person(ctx, domain)
        add_office(ctx, former, Office.Role.ALDERMAN, start - 1500 * DAY, ends_on=start + 1200 * DAY, **where)
        for _index in range(rng.choice([4, 5, 5, 6])):
            member = add_person(ctx, domain)
            place.council_members.append(member)
            add_office(ctx, member, Office.Role.COUNCIL_MEMBER, start - rng.randrange(0, 1500) * DAY, **where)
        ctx.places.append(place)
    ctx.flush()
