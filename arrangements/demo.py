"""The Veiligheidsregio Kennemerland and the GGD Kennemerland as joint arrangements of the nine municipalities,
with their general and daily boards, this year's and next year's financial key, and this year's budget cycle in
progress: the frameworks answered by every council, the safety region's draft budget in its zienswijze period
with a model zienswijze of the finance portfolio-holders and three councils' texts. Beside it, the adoption
arrangement (one proposal advised by three municipalities, one draft with a sounding-board comment) and a
request to join the covenant in progress."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from adoption.models import name_adopters
from arrangements.models import ArrangementParticipation, CycleDocument, FinancialKey, JointArrangement
from covenant.models import Accession, CovenantEvaluation
from decisions.models import RegionalProposal
from governance.demo import MUNICIPALITIES, ZUID_KENNEMERLAND, DemoRegion, _body, _seat, _slug, _upsert
from governance.models import ConsultationBody, Membership
from municipalities.models import RegionalOrganisation

D = datetime.date
# Shares by population, roughly as the regions' budgets divide them (percent; each year adds up to 100).
SHARES = {
    "Beverwijk": Decimal("7.6800"),
    "Bloemendaal": Decimal("4.4200"),
    "Haarlem": Decimal("29.1300"),
    "Haarlemmermeer": Decimal("28.3600"),
    "Heemskerk": Decimal("7.0200"),
    "Heemstede": Decimal("5.0100"),
    "Uitgeest": Decimal("2.4100"),
    "Velsen": Decimal("12.0000"),
    "Zandvoort": Decimal("3.9700"),
}
CONTRIBUTIONS = {"VRK": Decimal("48500000"), "GGD": Decimal("31200000")}


def load_arrangements(region: DemoRegion) -> list[JointArrangement]:
    arrangements = _load_arrangements(region)
    with transaction.atomic():
        _load_griffier_logins(region)
        _load_cycle(region, arrangements)
        _load_adoptions(region)
        _load_accession(region)
        CovenantEvaluation.plan(region.cooperations["ZK"])
    return arrangements


def _load_arrangements(region: DemoRegion) -> list[JointArrangement]:
    vrk_organisation = RegionalOrganisation.objects.get(name="Veiligheidsregio Kennemerland")
    ggd_organisation = _upsert(
        RegionalOrganisation,
        name="GGD Kennemerland",
        defaults={"abbreviation": "GGD", "website": "https://www.ggdkennemerland.nl"},
    )
    cooperation = region.cooperations["VRK"]
    Role = Membership.Role
    made = []
    for key, organisation, name, website, holder in (
        (
            "VRK",
            vrk_organisation,
            "Gemeenschappelijke regeling Veiligheidsregio Kennemerland",
            "https://www.vrk.nl",
            "mayor",
        ),
        (
            "GGD",
            ggd_organisation,
            "Gemeenschappelijke regeling GGD Kennemerland",
            "https://www.ggdkennemerland.nl",
            "health",
        ),
    ):
        general = _body(
            region,
            f"general_board:{key}",
            name=f"Algemeen bestuur {organisation.name}",
            article=ConsultationBody.Article.HET,
            abbreviation=f"AB {key}",
            kind=ConsultationBody.Kind.GENERAL_BOARD,
            cooperation=cooperation,
            frequency=ConsultationBody.Frequency.QUARTERLY,
        )
        daily = _body(
            region,
            f"daily_board:{key}",
            name=f"Dagelijks bestuur {organisation.name}",
            article=ConsultationBody.Article.HET,
            abbreviation=f"DB {key}",
            kind=ConsultationBody.Kind.DAILY_BOARD,
            cooperation=cooperation,
            frequency=ConsultationBody.Frequency.MONTHLY,
        )
        arrangement = _upsert(
            JointArrangement,
            name=name,
            defaults={
                "abbreviation": key,
                "kind": JointArrangement.Kind.PUBLIC_BODY,
                "organisation": organisation,
                "general_board": general,
                "daily_board": daily,
                "website": website,
                "starts_on": D(2010, 1, 1),
                "contact_name": f"Bestuurssecretariaat {organisation.name}",
            },
        )
        for index, (town, _, _) in enumerate(MUNICIPALITIES):
            municipality = region.municipalities[town]
            ArrangementParticipation.objects.get_or_create(
                arrangement=arrangement, municipality=municipality, joined_on=D(2010, 1, 1)
            )
            # The mayors in the safety region's board (Wet veiligheidsregio's art. 11), an alderman for public
            # health in the GGD's.
            if holder == "mayor":
                person = region.people[f"{town}:mayor"]
            else:
                person = region.people[f"{town}:alderman:{2 if town in ZUID_KENNEMERLAND else 1}"]
            chair = town == "Haarlem"
            _seat(general, person, Role.CHAIR if chair else Role.MEMBER, D(2022, 6, 1), municipality)
            if index in (2, 3, 7):  # Haarlem, Haarlemmermeer, Velsen
                _seat(daily, person, Role.CHAIR if chair else Role.MEMBER, D(2022, 6, 1), municipality)
        this_year = timezone.localdate().year
        for year in (this_year, this_year + 1):
            for town, share in SHARES.items():
                FinancialKey.objects.update_or_create(
                    arrangement=arrangement,
                    municipality=region.municipalities[town],
                    year=year,
                    defaults={
                        "share": share,
                        "contribution": (CONTRIBUTIONS[key] * share / 100).quantize(Decimal("0.01")),
                    },
                )
        made.append(arrangement)
    return made


WEEK = datetime.timedelta(weeks=1)
DAY = datetime.timedelta(days=1)

MODEL = [
    "De raad stemt in met de ontwerpbegroting en waardeert de heldere opbouw per taak.",
    "De raad vraagt het algemeen bestuur de indexering van de gemeentelijke bijdrage niet hoger te laten zijn dan "
    "de indexering in de septembercirculaire van het gemeentefonds.",
    "De raad vraagt in de jaarrekening per taak te rapporteren over de risico's en de weerstandscapaciteit.",
]
EXTRA_POINT = (
    "De raad vraagt het algemeen bestuur de verdeelsleutel van de bijdrage in 2027 te herzien, zodat die het "
    "inwonertal per 1 januari volgt."
)
OWN_TEXT = [
    "De raad stemt in met de ontwerpbegroting.",
    "De raad vraagt in de jaarrekening per taak te rapporteren over de risico's en de weerstandscapaciteit.",
]


def _load_griffier_logins(region: DemoRegion) -> None:
    """Every griffier logs in (griffier-<gemeente>), so each council's zienswijze can be recorded."""
    User = get_user_model()
    password_source = region.people["Haarlem:griffier"].user
    for name, _code, _website in MUNICIPALITIES:
        if name == "Haarlem":
            continue
        holder = region.people[f"{name}:griffier"]
        user, created = User.objects.get_or_create(username=f"griffier-{_slug(name)}", defaults={"email": holder.email})
        if created:
            user.password = password_source.password  # the demo's one password, as set for every log-in
            user.first_name, user.last_name = holder.given_name, holder.surname
            user.save()
        if holder.user_id != user.pk:
            holder.user = user
            holder.save()


def _finance_meeting(region: DemoRegion) -> ConsultationBody:
    """The finance portfolio-holders of the nine municipalities, whose secretary drafts the model zienswijzen."""
    body = _body(
        region,
        "pho:finance",
        name="Portefeuillehoudersoverleg Financiën Kennemerland",
        article=ConsultationBody.Article.HET,
        abbreviation="PHO Financiën",
        kind=ConsultationBody.Kind.PORTFOLIO_HOLDERS,
        cooperation=region.cooperations["VRK"],
        policy_area=region.portfolios["Financiën"],
        frequency=ConsultationBody.Frequency.SIX_WEEKLY,
    )
    for town, _code, _website in MUNICIPALITIES:
        index = 2 if town in ZUID_KENNEMERLAND else 0
        role = Membership.Role.CHAIR if town == "Haarlem" else Membership.Role.MEMBER
        _seat(body, region.people[f"{town}:alderman:{index}"], role, D(2022, 6, 1), region.municipalities[town])
    _seat(body, region.people["Haarlem:project_leader"], Membership.Role.SECRETARY, D(2022, 6, 1))
    return body


def _opinion(document: CycleDocument, town: str, by, *, text: str, on: datetime.date, outcome="opinion_submitted"):
    track = document.proposal.council_tracks.select_related("proposal", "municipality").get(municipality__name=town)
    if track.outcome:
        return
    track.keep(lock_version=track.lock_version, sent_to_council_on=document.sent_on + DAY)
    track.keep(
        lock_version=track.lock_version,
        council_date=on,
        outcome=outcome,
        outcome_date=on,
        council_response=text,
    )


def _load_cycle(region: DemoRegion, arrangements: list[JointArrangement]) -> None:
    today = timezone.localdate()
    coordinator = region.people["regional_coordinator"].user
    finance = _finance_meeting(region)
    for arrangement in arrangements:
        CycleDocument.plan_year(arrangement, today.year)
        documents = {d.kind: d for d in arrangement.cycle_documents.filter(year=today.year, number=1)}
        frameworks = documents[CycleDocument.Kind.FRAMEWORKS]
        if frameworks.proposal_id is None:
            # Sent in good time and answered by every council within its eight weeks.
            sent = min(D(today.year, 4, 1), today - 20 * WEEK)
            frameworks.keep(
                lock_version=frameworks.lock_version,
                by=coordinator,
                sent_on=sent,
                opinion_weeks=8,
                board_meeting_on=sent + 10 * WEEK,
                adopted_on=sent + 10 * WEEK,
            )
            frameworks.open_round(by=coordinator)
            for index, (town, _code, _website) in enumerate(MUNICIPALITIES):
                answered = "no_opinion" if index % 3 == 2 else "opinion_submitted"
                text = "" if answered == "no_opinion" else "De raad kan zich vinden in de kaders."
                _opinion(frameworks, town, coordinator, text=text, on=sent + 6 * WEEK, outcome=answered)
        preliminary = documents[CycleDocument.Kind.PRELIMINARY_ACCOUNTS]
        if not preliminary.sent_on:
            preliminary.keep(lock_version=preliminary.lock_version, by=coordinator, sent_on=frameworks.sent_on)
        if arrangement.abbreviation != "VRK":
            continue
        budget = documents[CycleDocument.Kind.DRAFT_BUDGET]
        if budget.proposal_id is None:
            # In its twelve weeks now; the general board meets after them, still in this year (Wgr art. 34 lid 1).
            sent = today - 4 * WEEK
            board = sent + 12 * WEEK + 2 * DAY
            if board.year != today.year:
                board = D(today.year, 12, 31)
                sent = min(board - 12 * WEEK - DAY, today - WEEK)
            budget.keep(
                lock_version=budget.lock_version,
                by=coordinator,
                sent_on=sent,
                board_meeting_on=board,
                model_body=finance,
            )
            budget.open_round(by=coordinator)
            budget.refresh_from_db()
            budget.keep_model(
                lock_version=budget.lock_version,
                by=region.people["Haarlem:project_leader"].user,
                text="\n\n".join(MODEL),
                body=finance,
                on=min(sent + 2 * WEEK, today),
            )
            answered = min(sent + 3 * WEEK, today)
            _opinion(budget, "Haarlem", coordinator, text="\n\n".join(MODEL), on=answered)
            _opinion(budget, "Heemstede", coordinator, text="\n\n".join([*MODEL, EXTRA_POINT]), on=answered)
            _opinion(budget, "Zandvoort", coordinator, text="\n\n".join(OWN_TEXT), on=answered)


def _load_adoptions(region: DemoRegion) -> None:
    """A sent covenant proposal adopted by three municipalities with their advice; a draft with a comment."""
    coordinator = region.people["regional_coordinator"].user
    today = timezone.localdate()
    sent = RegionalProposal.objects.filter(title="Regionale woonagenda 2027-2030").first()
    if sent is not None and not sent.adoptions.exists():
        advice = {
            "agree": "De woonagenda sluit aan bij de lokale woonvisies; de monitoring per kwartaal is een verbetering.",
            "agree_with_remarks": "Eens, met de kanttekening dat het aandeel sociale huur per gemeente moet kunnen "
            "verschillen.",
            "do_not_agree": "Niet eens: de verdeling van de woningbouwopgave houdt geen rekening met de "
            "beschikbare grond.",
        }
        adoptions = name_adopters(sent, by=coordinator, due_on=today + 2 * WEEK, count=3)
        for adoption, (recommendation, findings) in zip(adoptions, advice.items(), strict=False):
            adoption.advise(
                lock_version=adoption.lock_version,
                by=region.people[f"{adoption.municipality.name}:municipal_secretary"].user,
                recommendation=recommendation,
                findings=findings,
            )
    draft = RegionalProposal.objects.filter(title="Regionale aanpak energiearmoede").first()
    if draft is not None and not draft.adoptions.exists():
        first = name_adopters(draft, by=coordinator, due_on=today + 6 * WEEK, count=3)[0]
        first.comment_on_draft(
            lock_version=first.lock_version,
            by=region.people[f"{first.municipality.name}:municipal_secretary"].user,
            text="Neem de energiecoaches van de bibliotheken mee in de aanpak.",
        )


def _load_accession(region: DemoRegion) -> None:
    """Velsen asks to join the covenant from next year: sent to the four colleges, their councils may give their
    wensen en bedenkingen first."""
    from decisions.demo import _held_item

    cooperation = region.cooperations["ZK"]
    municipality = region.municipalities["Velsen"]
    if Accession.objects.filter(cooperation=cooperation, municipality=municipality).exists():
        return
    coordinator = region.people["regional_coordinator"].user
    today = timezone.localdate()
    body = region.bodies["coordination"]
    accession = Accession.request(
        cooperation=cooperation, municipality=municipality, joins_on=D(today.year + 1, 1, 1), body=body, by=coordinator
    )
    proposal = accession.proposal
    proposal.agenda_item = _held_item(body, today - 2 * WEEK, proposal.title, coordinator)
    proposal.save()
    proposal.adopt(by=coordinator)
    proposal.send(by=coordinator, on=today - WEEK)
