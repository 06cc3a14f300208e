"""Publication as an act, and what the public side then shows (and never shows)."""

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from publication import actions
from publication.models import Publication
from tests.factories import PersonFactory
from tests.publication.conftest import pdf_upload

pytestmark = pytest.mark.django_db
Kind = Publication.Kind


def publish_url(kind: str, target) -> str:
    return reverse("publish", args=[kind, target.pk])


def public(url: str, **headers):
    return Client().get(url, **headers)


def test_a_secretary_publishes_the_agenda_and_only_what_is_public_shows(world, client_for):
    world.send_agenda()
    client = client_for(world.secretary)
    response = client.post(publish_url(Kind.AGENDA, world.meeting), {"next": "/"})
    assert response.status_code == 302
    publication = Publication.objects.get(kind=Kind.AGENDA, meeting=world.meeting)
    assert publication.publisher == "https://identifier.overheid.nl/tooi/id/gemeente/" + (
        world.municipalities["Haarlem"].cbs_code.lower()
    )
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PUBLISHED, object_id=str(publication.pk)).exists()

    page = public(reverse("public_meeting", args=[world.meeting.pk])).content.decode()
    assert "Regionale woonagenda" in page and "Woonagenda 2027" in page
    # Neither the confidential item nor its document, nor the title of a withheld document.
    assert "Grondaankoop" not in page and "Taxatierapport" not in page
    assert "Advies over de grondprijs" not in page and "5.1 lid 2 onder b" in page
    # The partly public document shows its redacted version only.
    assert "brief-gelakt.pdf" in page and "Brief van de corporaties.pdf" not in page
    assert public(reverse("public_document", args=[world.redacted_version.pk])).status_code == 200
    for document in (world.withheld_document, world.secret_document, world.partial_document):
        unredacted = document.versions.filter(redacted=False).first()
        assert public(reverse("public_document", args=[unredacted.pk])).status_code == 404
    # The public agenda is numbered without the confidential item: no gap shows that one was left out.
    import re

    numbers = [int(n) for n in re.findall(r'<h3 class="utrecht-heading-3">(\d+)\. ', page)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) == world.meeting.items.count() - 1


def test_nothing_is_public_before_the_act(world):
    world.send_agenda()
    assert public(reverse("public_meeting", args=[world.meeting.pk])).status_code == 404
    version = world.public_document.versions.get()
    assert public(reverse("public_document", args=[version.pk])).status_code == 404
    assert "Regionale woonagenda" not in public(reverse("public_home")).content.decode()


def test_a_draft_agenda_cannot_be_published_and_nothing_is_saved(world, client_for):
    response = client_for(world.secretary).post(publish_url(Kind.AGENDA, world.meeting))
    assert response.status_code == 409
    assert "nog een concept" in response.content.decode()
    assert not Publication.objects.exists()


def test_who_may_publish_the_agenda(world, client_for):
    world.send_agenda()
    url = publish_url(Kind.AGENDA, world.meeting)
    # A member sees the meeting but does not prepare it: 403. An outsider does not see it: 404.
    assert client_for(world.member).post(url).status_code == 403
    outsider = PersonFactory(with_login=True).user
    assert client_for(outsider).post(url).status_code == 404
    assert client_for(world.secretary).get(url).status_code == 405
    assert not Publication.objects.exists()


def test_an_unknown_kind_or_a_non_numeric_id_is_a_404(world, client_for):
    client = client_for(world.secretary)
    assert client.post(f"/publicatie/nonsense/{world.meeting.pk}/publiceren/").status_code == 404
    assert public("/openbaar/vergadering/abc/").status_code == 404
    assert public("/openbaar/vergadering/99999999999999999999/").status_code == 404


def test_withdrawing_needs_a_reason_and_leaves_the_record(world, client_for):
    world.send_agenda()
    client = client_for(world.secretary)
    client.post(publish_url(Kind.AGENDA, world.meeting))
    publication = Publication.objects.get()
    url = reverse("publication_withdraw", args=[publication.pk])
    response = client.post(url, {"reason": "  ", "removal_reason": publication.removal_reason or ""})
    assert response.status_code == 400
    publication.refresh_from_db()
    assert publication.is_live
    removal = response.context["form"].fields["removal_reason"].initial
    assert client.post(url, {"reason": "Verkeerde bijlage gepubliceerd", "removal_reason": removal}).status_code == 302
    publication.refresh_from_db()
    assert publication.state == Publication.State.WITHDRAWN and publication.withdrawn_reason
    assert public(reverse("public_meeting", args=[world.meeting.pk])).status_code == 404
    gone = public(reverse("public_publication", args=[publication.pk]))
    assert gone.status_code == 410 and "Verkeerde bijlage gepubliceerd" in gone.content.decode()
    assert public(reverse("public_publication_file", args=[publication.pk])).status_code == 404
    # A second withdrawal is refused with a clear answer.
    assert client.post(url, {"reason": "nogmaals", "removal_reason": removal}).status_code == 409


def test_publishing_again_replaces_the_live_version(world, client_for):
    world.send_agenda()
    client = client_for(world.secretary)
    client.post(publish_url(Kind.AGENDA, world.meeting))
    client.post(publish_url(Kind.AGENDA, world.meeting))
    first, second = Publication.objects.order_by("version")
    assert (first.state, second.state) == (Publication.State.REPLACED, Publication.State.PUBLISHED)
    assert first.replaced_by == second and second.version == 2 and first.removal_reason
    page = public(reverse("public_publication", args=[first.pk])).content.decode()
    assert reverse("public_publication", args=[second.pk]) in page


def test_a_college_decision_is_published_by_its_own_secretary_once_signed(world, client_for):
    decision = world.final_decision("Haarlem")
    url = publish_url(Kind.COLLEGE_DECISION, decision)
    # Another municipality's secretary reads the signed decision but may not publish it; nor the coordinator.
    assert client_for(world.secretaries["Heemstede"]).post(url).status_code == 403
    assert client_for(world.coordinator).post(url).status_code == 403
    assert client_for(world.secretaries["Haarlem"]).post(url).status_code == 302
    page = public(reverse("public_decision", args=[decision.pk])).content.decode()
    assert "Regionale woonagenda" in page and "2026/Haarlem" in page


def test_an_unsigned_decision_cannot_be_published(world, client_for):
    decision = world.final_decision("Haarlem")
    heemstede = decision.proposal.college_decisions.get(municipality__name="Heemstede")
    response = client_for(world.secretaries["Heemstede"]).post(publish_url(Kind.COLLEGE_DECISION, heemstede))
    assert response.status_code == 409
    assert not Publication.objects.filter(college_decision=heemstede).exists()


def test_the_public_matrix_shows_only_published_decisions(world, client_for):
    haarlem = world.final_decision("Haarlem")
    world.final_decision("Heemstede")  # signed, not published: it stays off the public side
    client_for(world.secretaries["Haarlem"]).post(publish_url(Kind.COLLEGE_DECISION, haarlem))
    page = public(reverse("public_proposal", args=[haarlem.proposal_id])).content.decode()
    assert "Haarlem" in page and "Heemstede" not in page
    assert "1 van 4" in page
    heemstede = haarlem.proposal.college_decisions.get(municipality__name="Heemstede")
    assert public(reverse("public_decision", args=[heemstede.pk])).status_code == 404
    municipality = world.municipalities["Heemstede"]
    assert public(reverse("public_municipality", args=[municipality.pk])).status_code == 404


def test_minutes_are_published_once_adopted(world, client_for):
    from meetings.models import Minutes

    world.send_agenda()
    client = client_for(world.secretary)
    minutes = world.adopted_minutes()
    minutes.status = Minutes.Status.SENT
    minutes.save()
    assert client.post(publish_url(Kind.MINUTES, minutes)).status_code == 409
    minutes.status = Minutes.Status.ADOPTED
    minutes.save()
    assert client.post(publish_url(Kind.MINUTES, minutes)).status_code == 302
    client.post(publish_url(Kind.AGENDA, world.meeting))
    assert public(reverse("public_minutes", args=[world.meeting.pk])).status_code == 200


def test_the_decision_list_waits_for_the_meeting(world, client_for):
    world.send_agenda()
    client = client_for(world.secretary)
    world.meeting.refresh_from_db()
    assert client.post(publish_url(Kind.DECISION_LIST, world.meeting)).status_code == 409
    world.meeting.mark_held(by=world.secretary)
    assert client.post(publish_url(Kind.DECISION_LIST, world.meeting)).status_code == 302


def test_work_programmes_and_covenants_are_the_coordinators(world, client_for):
    programme = world.adopted_programme()
    url = publish_url(Kind.WORK_PROGRAMME, programme)
    assert client_for(world.secretary).post(url).status_code == 404
    assert client_for(world.coordinator).post(url).status_code == 302
    assert public(reverse("public_programme", args=[programme.pk])).status_code == 200

    covenant_url = reverse("publish_covenant", args=[world.cooperation.pk])
    client = client_for(world.coordinator)
    not_a_pdf = client.post(
        covenant_url, {"title": "Convenant", "signed_on": "2021-01-01", "file": pdf_upload("convenant.docx")}
    )
    assert not_a_pdf.status_code == 400 and "past niet bij de naam" in not_a_pdf.content.decode()
    assert not Publication.objects.filter(kind=Kind.COVENANT).exists()
    response = client.post(
        covenant_url,
        {"title": "Convenant Zuid-Kennemerland", "signed_on": "2021-01-01", "file": pdf_upload("convenant.pdf")},
    )
    assert response.status_code == 302
    covenant = Publication.objects.get(kind=Kind.COVENANT)
    assert covenant.sha256 and covenant.size
    assert public(reverse("public_publication_file", args=[covenant.pk]))["Content-Type"] == "application/pdf"
    assert client_for(world.secretary).get(covenant_url).status_code == 404


def test_a_publisher_must_be_named_first(world, client_for):
    world.cooperation.publisher.delete()
    world.send_agenda()
    response = client_for(world.secretary).post(publish_url(Kind.AGENDA, world.meeting))
    assert response.status_code == 409 and "publiceert nog niemand" in response.content.decode()


def test_public_pages_answer_conditional_requests(world, client_for):
    world.send_agenda()
    client_for(world.secretary).post(publish_url(Kind.AGENDA, world.meeting))
    url = reverse("public_meeting", args=[world.meeting.pk])
    first = public(url)
    assert first["ETag"] and first["Last-Modified"] and "public" in first["Cache-Control"]
    assert public(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert public(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert public(url, REQUEST_METHOD="POST").status_code == 405


def test_bad_page_numbers_are_harmless(world, client_for):
    world.send_agenda()
    client_for(world.secretary).post(publish_url(Kind.AGENDA, world.meeting))
    for page in ("1000000000", "abc", "-1"):
        assert public(reverse("public_body", args=[world.body.pk]), data={"pagina": page}).status_code == 200


def test_the_accessibility_statement_and_the_public_home(world):
    page = public(reverse("public_accessibility")).content.decode()
    assert "Toegankelijkheidsverklaring" in page and "WCAG" in page and 'lang="nl"' in page
    assert public(reverse("public_home")).status_code == 200


def test_the_desk_reminds_the_secretary_of_what_is_not_yet_published(world):
    from reminders.desk import waiting_for

    world.send_agenda()
    desk = waiting_for(world.secretary)
    assert any(e.kind == "publish" and "Agenda" in e.what for e in desk.entries)
    Publication.objects.create(
        kind=Kind.AGENDA,
        meeting=world.meeting,
        target_key=Publication.key_for(Kind.AGENDA, world.meeting),
        published_by=world.secretary,
        **actions.metadata(Kind.AGENDA, world.meeting),
    )
    assert not any(e.kind == "publish" and "Agenda" in e.what for e in waiting_for(world.secretary).entries)
