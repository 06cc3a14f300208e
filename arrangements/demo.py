"""The Veiligheidsregio Kennemerland and the GGD Kennemerland as joint arrangements of the nine municipalities,
with their general and daily boards and this year's and next year's financial key."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from arrangements.models import ArrangementParticipation, FinancialKey, JointArrangement
from governance.demo import MUNICIPALITIES, ZUID_KENNEMERLAND, DemoRegion, _body, _seat, _upsert
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
