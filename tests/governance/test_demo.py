import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from governance import demo
from governance.models import ConsultationBody, Membership
from municipalities.models import Municipality, Office

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    models = [*apps.get_app_config("municipalities").get_models(), *apps.get_app_config("governance").get_models()]
    return {model._meta.label: model.objects.count() for model in models} | {"users": get_user_model().objects.count()}


def test_loading_the_demo_twice_gives_the_same_counts(settings):
    settings.DEBUG = True
    call_command("load_demo", password="eerste")
    first = counts()
    call_command("load_demo", password="tweede")
    assert counts() == first
    assert first["municipalities.Municipality"] == 9
    assert get_user_model().objects.get(username="coordinator").check_password("tweede")


def test_demo_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo")
    assert not Municipality.objects.exists()


def test_the_demo_region_matches_the_source_documents():
    region = demo.load("wachtwoord")
    assert dict(Municipality.objects.values_list("name", "cbs_code")) == {
        "Beverwijk": "GM0375",
        "Bloemendaal": "GM0377",
        "Haarlem": "GM0392",
        "Haarlemmermeer": "GM0394",
        "Heemskerk": "GM0396",
        "Heemstede": "GM0397",
        "Uitgeest": "GM0450",
        "Velsen": "GM0453",
        "Zandvoort": "GM0473",
    }
    zk = region.cooperations["ZK"]
    assert sorted(m.name for m in zk.participants_on()) == ["Bloemendaal", "Haarlem", "Heemstede", "Zandvoort"]
    assert region.cooperations["VRK"].participants_on().count() == 9

    administrative = region.bodies["administrative"]
    chair = administrative.members_on().get(role=Membership.Role.CHAIR)
    assert chair.on_behalf_of.name == "Haarlem"
    assert Office.objects.current().filter(person=chair.person, role=Office.Role.MAYOR).exists()
    secretaries = region.bodies["secretaries"]
    assert secretaries.prepares == administrative
    advisory = secretaries.members_on().get(role=Membership.Role.ADVISORY_MEMBER)
    assert advisory.person.offices.filter(role=Office.Role.SAFETY_REGION_DIRECTOR).exists()

    phos = ConsultationBody.objects.filter(kind=ConsultationBody.Kind.PORTFOLIO_HOLDERS)
    assert phos.count() == 5
    assert sorted(t.lead_body.name for t in zk.regional_tasks.all()) == sorted(p.name for p in phos)
    for pho in phos:
        assert pho.aldermen_for_policy_area().count() == 4, pho

    committee = region.bodies["agenda_committee"]
    seats = committee.members_on().exclude(role=Membership.Role.SECRETARY)
    assert sorted(seats.values_list("on_behalf_of__name", flat=True)) == sorted(
        ["Bloemendaal", "Haarlem", "Heemstede", "Zandvoort"] * 2
    )
    assert all(s.person.offices.filter(role=Office.Role.COUNCIL_MEMBER).exists() for s in seats)


def test_every_demo_row_passes_validation():
    demo.load("wachtwoord")
    models = [*apps.get_app_config("municipalities").get_models(), *apps.get_app_config("governance").get_models()]
    for model in models:
        if model._meta.label.split(".")[1].startswith("Historical"):
            continue
        for obj in model.objects.all():
            obj.full_clean()


def test_there_is_a_demo_log_in_for_every_role():
    region = demo.load("wachtwoord")
    roles = set(Office.objects.current().filter(person__user__isnull=False).values_list("role", flat=True).distinct())
    assert roles >= {
        Office.Role.REGIONAL_COORDINATOR,
        Office.Role.MUNICIPAL_SECRETARY,
        Office.Role.COORDINATING_SECRETARY,
        Office.Role.MAYOR,
        Office.Role.ALDERMAN,
        Office.Role.GRIFFIER,
        Office.Role.COUNCIL_MEMBER,
        Office.Role.PROJECT_LEADER,
        Office.Role.SAFETY_REGION_DIRECTOR,
    }
    assert len(region.logins) == len(demo.LOGINS)


def test_every_demo_body_names_its_article():
    demo.load("wachtwoord")
    articles = dict(ConsultationBody.objects.values_list("name", "article"))
    assert articles["Regionale agendacommissie Zuid-Kennemerland"] == "de"
    assert articles["Regionale raadsbijeenkomst Zuid-Kennemerland en IJmond"] == "de"
    assert articles["Bestuurlijk afstemmingsoverleg Kennemerland"] == "het"
    assert articles["Portefeuillehoudersoverleg Wonen Zuid-Kennemerland"] == "het"
    assert set(articles.values()) == {"de", "het"}
