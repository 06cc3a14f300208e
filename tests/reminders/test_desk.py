"""The start page "Wat wacht op mij", the menu per role and the daily digest: one source, per person."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from decisions.demo import SEED_000
from decisions.models import RegionalProposal
from governance.models import Membership
from meetings.actions import open_monthly_evaluations
from meetings.demo import CONFIDENTIAL_ITEM
from meetings.models import Meeting, Submission
from municipalities.models import Person
from reminders import delivery
from reminders.desk import SHOWN_PER_KIND, waiting_for
from reminders.menu import menu_for
from reminders.models import Reminder
from tests.conftest import whole_demo_region
from tests.factories import PersonFactory
from tests.meetings.conftest import Region

PASSWORD = "demo-wachtwoord"


@pytest.fixture
def demo_region(transactional_db, database_snapshot):
    region = whole_demo_region(database_snapshot, PASSWORD)
    open_monthly_evaluations()
    return region


def login(username: str):
    return get_user_model().objects.get(username=username)


def work(username: str) -> list[tuple[str, str, str]]:
    """What the start page lists for a demo log-in, as (kind, what, for whom), sorted for comparison."""
    desk = waiting_for(login(username))
    meetings = {"agenda", "minutes", "invitation"}  # about a meeting: named by its body (the date moves)
    return sorted((e.kind, e.where if e.kind in meetings else e.what, e.where) for e in desk.entries)


def menu(username: str) -> dict[str, list[str]]:
    return {str(g.label): [str(i.label) for i in g.items] for g in menu_for(waiting_for(login(username)), None)}


BAO = "Bestuurlijk afstemmingsoverleg Kennemerland"
OGS = "Overleg gemeentesecretarissen Kennemerland"
SEED = SEED_000["title"]
BUDGET = "Ontwerpbegroting 2027 Veiligheidsregio Kennemerland"


def test_what_each_demo_log_in_finds_waiting(demo_region):
    # The mayor of Zandvoort: the seed decision recorded by the secretary, waiting for his signature.
    assert work("burgemeester-zandvoort") == [("sign", SEED, "Zandvoort")]
    # Its secretary co-signs it, and records the two other proposals the college has not decided yet.
    assert work("secretaris-zandvoort") == [
        ("record", BUDGET, "Zandvoort"),
        ("record", "Regionale woonagenda 2027-2030", "Zandvoort"),
        ("sign", SEED, "Zandvoort"),
    ]
    # Haarlem's secretary: the seed decision waits for the council's wishes, so it is not his to record yet.
    haarlem = work("secretaris")
    assert ("record", BUDGET, "Haarlem") in haarlem
    assert not any(entry[1] == SEED for entry in haarlem)
    # The griffier: the council steps whose turn is the griffier's, and the agenda of the committee she runs.
    griffier = work("griffier")
    assert [entry for entry in griffier if entry[0] == "council"] == [
        ("council", "Gezamenlijke aanpak ondermijning", "Haarlem"),
        ("council", SEED, "Haarlem"),
        ("council", "Regionale woonagenda 2027-2030", "Haarlem"),
    ]
    assert [entry[0] for entry in griffier if entry[0] != "council"] == ["agenda"]
    # The coordinator: the agendas and minutes of the bodies whose secretariat she is, and the evaluation.
    coordinator = work("coordinator")
    assert {entry[0] for entry in coordinator} == {"agenda", "minutes", "evaluation"}
    assert {entry[2] for entry in coordinator if entry[0] != "evaluation"} == {BAO, OGS}
    # The project leader: her action point, and the agenda of the portfolio-holder meeting she is secretary of.
    assert [entry[0] for entry in work("projectleider")] == ["actions", "agenda"]
    # Nothing waits for the alderman, the council member, the director or an outsider today.
    for username in ("wethouder", "raadslid", "directeur", "buitenstaander"):
        assert work(username) == [], username
    # The mayor of Haarlem chairs the administrative meeting, but its secretariat writes agenda, minutes and
    # the evaluation: nothing is his today.
    assert work("burgemeester") == []

    # The menu shows each role only what it can use.
    assert menu("buitenstaander") == {}
    projectleider = menu("projectleider")
    assert "Raden" not in projectleider and "Evaluaties" not in projectleider["Besluiten"]
    assert projectleider["Mijn werk"] == [
        "Agenda's voorbereiden",
        "Agendapunt indienen",
        "Mijn inzendingen",
        "Mijn actiepunten",
    ]
    assert menu("griffier")["Raden"] == ["Raden", "Griffie"]
    assert "Griffie" not in menu("burgemeester").get("Raden", [])
    assert menu("burgemeester-zandvoort")["Mijn werk"][0] == "Te ondertekenen"
    assert "Vast te leggen" not in menu("burgemeester-zandvoort")["Mijn werk"]
    assert menu("secretaris-zandvoort")["Mijn werk"][:2] == ["Te ondertekenen", "Vast te leggen"]
    assert menu("wethouder")["Mijn werk"][-1] == "Mijn uitnodigingen"
    assert menu("coordinator")["Beheer"] == ["Werking", "Beheersite"]
    # The coordinator may record and keep council tracks for any municipality: she keeps those lists.
    assert menu("coordinator")["Raden"] == ["Raden", "Griffie"]
    assert "Vast te leggen" in menu("coordinator")["Mijn werk"]
    assert "Triage-inbox" in menu("coordinator")["Mijn werk"]
    for username in ("secretaris", "griffier", "projectleider", "raadslid", "directeur"):
        assert "Beheer" not in menu(username) and "Triage-inbox" not in menu(username).get("Mijn werk", [])


def test_the_start_page_counts_as_the_menu_and_shows_nothing_its_reader_may_not_see(demo_region, client_for):
    client = client_for(login("secretaris-zandvoort"))
    page = client.get(reverse("home")).content.decode()
    assert "3 dingen wachten op u" in page
    assert page.count(SEED) == 1 and BUDGET in page
    # The counts in the menu: three in all, under Mijn werk one to sign and two to record.
    assert 'Start <span class="portal-count">3<span class="portal-visually-hidden"> wacht op u' in page
    assert 'Te ondertekenen <span class="portal-count">1<' in page
    assert 'Vast te leggen <span class="portal-count">2<' in page
    decision = RegionalProposal.objects.get(title=SEED).college_decisions.get(municipality__name="Zandvoort")
    assert f'href="/besluiten/ondertekenen/#decision-{decision.pk}"' in page
    assert f'id="decision-{decision.pk}"' in client.get(reverse("my_signatures")).content.decode()

    seed = RegionalProposal.objects.get(title=SEED)
    references = [d.reference for d in seed.college_decisions.exclude(municipality__name="Zandvoort") if d.reference]
    for username in ("secretaris-zandvoort", "burgemeester-zandvoort", "griffier", "raadslid", "directeur"):
        page = client_for(login(username)).get(reverse("home")).content.decode()
        assert CONFIDENTIAL_ITEM not in page, username
        assert "Regionale aanpak energiearmoede" not in page, username  # a draft proposal
        for reference in references:
            assert reference not in page, (username, reference)
    # Haarlem's decisions are not Zandvoort's to record or sign.
    assert all(entry.where == "Zandvoort" for entry in waiting_for(login("secretaris-zandvoort")).entries)


def returned_submissions(user, municipality, count: int) -> None:
    Submission.objects.bulk_create(
        Submission(
            title=f"Voorstel {n}",
            explanation="Toelichting",
            municipality=municipality,
            purpose="decision",
            submitted_by=user,
            status=Submission.Status.RETURNED,
        )
        for n in range(count)
    )


@pytest.mark.django_db
def test_the_start_page_and_the_menu_keep_their_queries_with_5_or_500_things_waiting(client_for):
    region = Region()

    def secretary_with(count: int):
        user = region.seat(region.secretaries, Membership.Role.SECRETARY)
        returned_submissions(user, region.haarlem, count)
        for days in range(max(1, count // 100)):
            Meeting.for_body(region.secretaries, timezone.now() + datetime.timedelta(days=5 + days)).save()
        return user

    few, many = secretary_with(5), secretary_with(500)
    assert waiting_for(few).count("returned") == 5 and waiting_for(many).count("returned") == 500
    counts = []
    for user in (few, many):
        client = client_for(user)
        client.get(reverse("home"))
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("home")).content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # The start page lists the first ten and links to the rest; the menu counts all 500.
    assert page.count("Voorstel ") == SHOWN_PER_KIND
    assert "Teruggestuurde agendapunten: nog 490" in page
    assert 'Mijn inzendingen <span class="portal-count">500<' in page


@pytest.mark.django_db
def test_the_digest_lists_what_waits_from_the_same_source():
    region = Region()
    user = region.seat(region.secretaries, Membership.Role.SECRETARY)
    person = Person.objects.get(user=user)
    person.reminder_delivery = Person.Delivery.DIGEST
    person.save()
    returned_submissions(user, region.haarlem, 2)
    meeting = Meeting.for_body(region.secretaries, timezone.now() + datetime.timedelta(days=9))
    meeting.save()
    # The reminder planned for the unpublished agenda, as the worker leaves it for the digest.
    reminder = Reminder.objects.get(kind=Reminder.Kind.AGENDA_UNPUBLISHED, recipient=person)
    reminder.status, reminder.delivery = Reminder.Status.SENT, Person.Delivery.DIGEST
    reminder.subject, reminder.link = "De agenda is nog niet gepubliceerd", reverse("meeting_agenda", args=[meeting.pk])
    reminder.save()
    delivery.send_digest(person.pk, timezone.localdate())
    body = mail.outbox[-1].body
    desk = waiting_for(user)
    assert f"{desk.total} dingen wachten op u" in body
    for entry in desk.entries:
        assert entry.what in body and entry.url in body


@pytest.mark.django_db
def test_a_person_without_office_sees_an_empty_start_page_and_menu(client_for):
    user = PersonFactory(with_login=True).user
    page = client_for(user).get(reverse("home")).content.decode()
    assert "Niets wacht vandaag op u." in page
    assert "portal-menu__group" not in page


@pytest.mark.django_db
def test_documents_due_show_the_submission_as_its_submitter_wrote_it(client_for):
    """The secretariat may retitle the item or mark it confidential, and a draft agenda does not exist for
    the submitter: the start page names the submission and links to its own page."""
    region = Region()
    secretary = region.seat(region.secretaries, Membership.Role.SECRETARY)
    submitter = PersonFactory(with_login=True).user
    meeting = Meeting.for_body(region.secretaries, timezone.now() + datetime.timedelta(days=20))
    meeting.save()
    submission = Submission.objects.create(
        title="Woonagenda",
        explanation="Toelichting",
        purpose="discussion",
        submitted_by=submitter,
        municipality=region.haarlem,
    )
    item = submission.route(by=secretary, meeting=meeting)
    item.title, item.confidential = "Vertrouwelijk: grondaankoop", True
    item.save()
    [entry] = waiting_for(submitter).entries
    assert (entry.kind, entry.what) == ("documents", "Woonagenda")
    assert entry.url == reverse("submission_detail", args=[submission.pk])
    page = client_for(submitter).get(reverse("home")).content.decode()
    assert "grondaankoop" not in page
    assert client_for(submitter).get(entry.url).status_code == 200
