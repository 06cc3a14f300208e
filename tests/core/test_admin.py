import datetime
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from governance import demo
from governance.models import (
    ConsultationBody,
    Cooperation,
    Membership,
    MonthlyEvaluation,
    Participation,
    RegionalTask,
)
from meetings.models import AgendaItem, Meeting, Submission
from municipalities.models import Municipality, Office, Person, Portfolio, RegionalOrganisation
from reminders.models import Reminder
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date

DOMAIN_APPS = {"municipalities", "governance", "meetings", "reminders"}


def admin_pages() -> list[tuple[str, str]]:
    """Changelist, add and change page of every model in the portal's own apps."""
    pages = []
    for model in admin.site._registry:
        opts = model._meta
        if opts.app_label not in DOMAIN_APPS:
            continue
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        pages.append((opts.label, reverse(f"{prefix}_changelist")))
        if admin.site._registry[model].has_add_permission(_CoordinatorRequest()):
            pages.append((opts.label, reverse(f"{prefix}_add")))
        first = model.objects.order_by("pk").first()
        if first is not None:
            pages.append((opts.label, reverse(f"{prefix}_change", args=[first.pk])))
            pages.append((opts.label, reverse(f"{prefix}_history", args=[first.pk])))
    return pages


class _CoordinatorRequest:
    """Enough of a request to ask a model admin whether adding is offered at all."""

    class user:
        is_active = is_superuser = True

        @staticmethod
        def has_perm(perm, obj=None):
            return True


@pytest.fixture
def region(db):
    from meetings.demo import load_meetings

    region = demo.load("demo-wachtwoord")
    load_meetings(region)
    return region


def test_every_admin_page_answers_the_coordinator(region, coordinator, client_for):
    client = client_for(coordinator)
    pages = admin_pages()
    assert len(pages) >= 4 * 10 + 2 * 4  # the region's ten models, and meetings with their items
    for label, url in pages:
        assert client.get(url).status_code == 200, (label, url)
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_is_in_dutch(region, coordinator, client_for):
    page = client_for(coordinator).get(reverse("admin:governance_participation_changelist")).content.decode()
    assert "Deelnames" in page and "Opzegging kan" not in page
    assert 'lang="nl"' in page


@pytest.mark.parametrize("role", ["secretary", "mayor", "alderman", "griffier", "council_member", "outsider"])
def test_other_roles_get_403_on_every_admin_page(region, role, request, client_for):
    client = client_for(request.getfixturevalue(role))
    for label, url in [("index", reverse("admin:index")), *admin_pages()]:
        assert client.get(url).status_code == 403, (role, label, url)


def test_a_former_coordinator_is_refused(region, former_coordinator, client_for):
    assert client_for(former_coordinator).get(reverse("admin:index")).status_code == 403


def test_anonymous_visitors_are_sent_to_the_portal_log_in(region, client):
    for label, url in [("index", reverse("admin:index")), *admin_pages()]:
        response = client.get(url)
        assert response.status_code == 302, (label, url)
        final = client.get(url, follow=True)
        assert final.redirect_chain[-1][0] == f"{reverse('login')}?next={quote(url)}", (label, url)


def test_admin_log_in_page_sends_to_the_portal_log_in(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Query counts: a changelist page costs the same number of queries with 3 rows as with 15.

FACTORIES = {
    Municipality: factories.MunicipalityFactory,
    RegionalOrganisation: factories.RegionalOrganisationFactory,
    Portfolio: factories.PortfolioFactory,
    Person: factories.PersonFactory,
    Office: lambda: factories.OfficeFactory(portfolios=[factories.PortfolioFactory()]),
    Cooperation: factories.CooperationFactory,
    Participation: factories.ParticipationFactory,
    ConsultationBody: lambda: factories.ConsultationBodyFactory(
        policy_area=factories.PortfolioFactory(), prepares=factories.ConsultationBodyFactory()
    ),
    Membership: lambda: factories.MembershipFactory(on_behalf_of=factories.MunicipalityFactory()),
    RegionalTask: factories.RegionalTaskFactory,
    Meeting: lambda: _meeting(),
    AgendaItem: lambda: _meeting().add_item(
        version=None, by=factories.UserFactory(), title="Punt", purpose="discussion"
    ),
    Submission: lambda: Submission.objects.create(
        title="Vraag",
        explanation="Uitleg",
        municipality=factories.MunicipalityFactory(),
        purpose="information",
        submitted_by=factories.UserFactory(),
    ),
    MonthlyEvaluation: lambda: MonthlyEvaluation.objects.create(
        cooperation=factories.CooperationFactory(), month=datetime.date(2027, 1, 1)
    ),
    Reminder: lambda: _reminder(),
}


def _reminder() -> Reminder:
    person = factories.PersonFactory()
    return Reminder.objects.create(
        kind=Reminder.Kind.ACTION_OVERDUE,
        content_type=ContentType.objects.get_for_model(person),
        object_id=person.pk,
        recipient=person,
        due_at=timezone.now(),
    )


def _meeting() -> Meeting:
    meeting = Meeting.for_body(factories.ConsultationBodyFactory(), timezone.now() + datetime.timedelta(days=30))
    meeting.save()
    return meeting


def changelist_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", list(FACTORIES), ids=lambda m: m._meta.label)
def test_changelist_queries_do_not_grow_with_rows(model, coordinator, client_for, django_assert_max_num_queries):
    client = client_for(coordinator)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    make = FACTORIES[model]
    for _ in range(3):
        make()
    few = changelist_queries(client, url)
    for _ in range(12):
        make()
    with django_assert_max_num_queries(few):
        client.get(url)
    assert model.objects.count() >= 15


# Bad input through the admin: a clear Dutch message, nothing saved.


def test_wrong_cbs_code_in_the_admin_form(coordinator, client_for):
    client = client_for(coordinator)
    with translation.override("nl"):
        response = client.post(
            reverse("admin:municipalities_municipality_add"),
            {"name": "Haarlem", "cbs_code": "0392", "website": "", "council_information_system_url": ""},
            HTTP_ACCEPT_LANGUAGE="nl",
        )
    assert response.status_code == 200
    assert "Een CBS-code is &#x27;GM&#x27; gevolgd door vier cijfers" in response.content.decode()
    assert not Municipality.objects.exists()


def inline_management(prefix: str, total: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_two_overlapping_new_participations_on_one_cooperation_form(coordinator, client_for):
    haarlem = factories.MunicipalityFactory(name="Haarlem")
    data = {
        "name": "Zuid-Kennemerland",
        "abbreviation": "ZK",
        "kind": "covenant",
        "withdrawal_rule": "next_year",
        **inline_management("participations", 2),
        "participations-0-municipality": haarlem.pk,
        "participations-0-joined_on": "01-01-2021",
        "participations-0-notice_given_on": "15-03-2024",
        "participations-1-municipality": haarlem.pk,
        "participations-1-joined_on": "01-07-2024",
    }
    response = client_for(coordinator).post(reverse("admin:governance_cooperation_add"), data)
    assert response.status_code == 200
    assert "Haarlem neemt al deel aan" in response.content.decode()
    assert not Cooperation.objects.exists()
    assert not Participation.objects.exists()


def test_membership_for_a_non_participating_municipality_in_the_body_form(coordinator, client_for):
    body = factories.ConsultationBodyFactory()
    velsen = factories.MunicipalityFactory(name="Velsen")
    person = factories.PersonFactory()
    data = {
        "name": body.name,
        "kind": body.kind,
        "cooperation": body.cooperation.pk,
        "frequency": "ad_hoc",
        "agenda_deadline_days": "10",
        "documents_deadline_days": "7",
        "is_active": "on",
        **inline_management("memberships", 1),
        "memberships-0-person": person.pk,
        "memberships-0-role": "member",
        "memberships-0-on_behalf_of": velsen.pk,
        "memberships-0-starts_on": "01-01-2024",
    }
    response = client_for(coordinator).post(reverse("admin:governance_consultationbody_change", args=[body.pk]), data)
    assert response.status_code == 200
    assert "Velsen neemt niet gedurende de hele periode van dit lidmaatschap deel" in response.content.decode()
    assert not Membership.objects.exists()


def test_office_ending_before_it_starts_in_the_person_form(coordinator, client_for):
    municipality = factories.MunicipalityFactory()
    data = {
        "given_name": "Anna",
        "surname_prefix": "van den",
        "surname": "Berg",
        "email": "anna@example.nl",
        "language": "nl",
        **inline_management("offices", 1),
        "offices-0-role": "mayor",
        "offices-0-municipality": municipality.pk,
        "offices-0-starts_on": "01-05-2024",
        "offices-0-ends_on": "30-04-2024",
    }
    response = client_for(coordinator).post(reverse("admin:municipalities_person_add"), data)
    assert response.status_code == 200
    assert "De einddatum ligt vóór de begindatum" in response.content.decode()
    assert not Person.objects.filter(email="anna@example.nl").exists()
    assert not Office.objects.filter(role=Office.Role.MAYOR).exists()


def test_participation_dates_are_computed_not_typed(coordinator, client_for):
    participation = factories.ParticipationFactory(joined_on=D(2021, 1, 1))
    url = reverse("admin:governance_participation_change", args=[participation.pk])
    data = {
        "cooperation": participation.cooperation.pk,
        "municipality": participation.municipality.pk,
        "joined_on": "01-01-2021",
        "notice_given_on": "15-03-2024",
        "leaves_on": "01-01-2099",
    }
    response = client_for(coordinator).post(url, data)
    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.leaves_on == D(2025, 1, 1)
    assert participation.obligations_until == D(2025, 12, 31)
    assert participation.history.first().history_user == coordinator


def test_portfolios_only_for_aldermen_and_mayors_in_the_office_form(coordinator, client_for):
    person, municipality = factories.PersonFactory(), factories.MunicipalityFactory()
    housing = factories.PortfolioFactory(name="Wonen")
    data = {
        "person": person.pk,
        "role": "griffier",
        "municipality": municipality.pk,
        "portfolios": [housing.pk],
        "starts_on": "01-05-2024",
    }
    client = client_for(coordinator)
    response = client.post(reverse("admin:municipalities_office_add"), data)
    assert response.status_code == 200
    assert "Alleen een wethouder of burgemeester heeft portefeuilles" in response.content.decode()
    assert not Office.objects.filter(person=person).exists()
    response = client.post(reverse("admin:municipalities_office_add"), data | {"role": "mayor"})
    assert response.status_code == 302
    assert list(Office.objects.get(person=person).portfolios.all()) == [housing]
