"""The public side as a matrix: every object kind x state (draft, adopted, confidential, withheld, published,
withdrawn) -> shown or not, on its own public page, the public search and the sitemap."""

import pytest
from django.test import Client
from django.urls import reverse

from governance.models import WorkProgramme
from meetings.models import Minutes
from publication import actions
from publication.models import Publication

pytestmark = pytest.mark.django_db
Kind = Publication.Kind


def shown(url: str, text: str | None = None) -> bool:
    response = Client().get(url)
    if response.status_code != 200:
        assert response.status_code in (404, 410), (url, response.status_code)
        return False
    return text is None or text in response.content.decode()


def publish(world, kind, target):
    by = {
        Kind.COLLEGE_DECISION: lambda: world.secretaries[target.municipality.name],
        Kind.WORK_PROGRAMME: lambda: world.coordinator,
    }.get(kind, lambda: world.secretary)()
    return actions.publish(kind, target, by=by)


def withdraw(publication):
    publication.withdraw(by=publication.published_by, reason="Ingetrokken voor de test")


def meeting_page(world):
    return reverse("public_meeting", args=[world.meeting.pk])


def item_case(world, state: str) -> bool:
    if state in ("adopted", "published", "withdrawn", "confidential"):
        world.send_agenda()
    if state in ("published", "withdrawn", "confidential"):
        publication = publish(world, Kind.AGENDA, world.meeting)
        if state == "withdrawn":
            withdraw(publication)
    title = world.secret_item.title if state == "confidential" else world.public_item.title
    return shown(meeting_page(world), title)


def document_case(world, state: str) -> bool:
    if state != "draft":
        world.send_agenda()
    if state in ("published", "withdrawn", "withheld", "confidential"):
        publication = publish(world, Kind.AGENDA, world.meeting)
        if state == "withdrawn":
            withdraw(publication)
    document = {"withheld": world.withheld_document, "confidential": world.secret_document}.get(
        state, world.public_document
    )
    return shown(reverse("public_document", args=[document.versions.get().pk]))


def minutes_case(world, state: str) -> bool:
    world.send_agenda()
    publish(world, Kind.AGENDA, world.meeting)
    minutes = world.adopted_minutes()
    if state == "draft":
        minutes.status = Minutes.Status.DRAFT
        minutes.save()
        with pytest.raises(actions.TransitionNotAllowed):
            publish(world, Kind.MINUTES, minutes)
    if state in ("published", "withdrawn"):
        publication = publish(world, Kind.MINUTES, minutes)
        if state == "withdrawn":
            withdraw(publication)
    return shown(reverse("public_minutes", args=[world.meeting.pk]))


def decision_case(world, state: str) -> bool:
    if state == "draft":
        signed = world.final_decision("Haarlem")
        unsigned = signed.proposal.college_decisions.get(municipality__name="Heemstede")
        with pytest.raises(actions.TransitionNotAllowed):
            publish(world, Kind.COLLEGE_DECISION, unsigned)
        return shown(reverse("public_decision", args=[unsigned.pk]))
    decision = world.final_decision("Haarlem")
    if state in ("published", "withdrawn"):
        publication = publish(world, Kind.COLLEGE_DECISION, decision)
        if state == "withdrawn":
            withdraw(publication)
    return shown(reverse("public_decision", args=[decision.pk]), "2026/Haarlem")


def programme_case(world, state: str) -> bool:
    programme = world.adopted_programme()
    if state == "draft":
        programme.status = WorkProgramme.Status.DRAFT
        programme.save()
        with pytest.raises(actions.TransitionNotAllowed):
            publish(world, Kind.WORK_PROGRAMME, programme)
    if state in ("published", "withdrawn"):
        publication = publish(world, Kind.WORK_PROGRAMME, programme)
        if state == "withdrawn":
            withdraw(publication)
    return shown(reverse("public_programme", args=[programme.pk]))


CASES = {
    "agenda item": (
        item_case,
        {"draft": False, "adopted": False, "confidential": False, "published": True, "withdrawn": False},
    ),
    "document": (
        document_case,
        {
            "draft": False,
            "adopted": False,
            "confidential": False,
            "withheld": False,
            "published": True,
            "withdrawn": False,
        },
    ),
    "minutes": (minutes_case, {"draft": False, "adopted": False, "published": True, "withdrawn": False}),
    "college decision": (decision_case, {"draft": False, "adopted": False, "published": True, "withdrawn": False}),
    "work programme": (programme_case, {"draft": False, "adopted": False, "published": True, "withdrawn": False}),
}


@pytest.mark.parametrize(
    ("kind", "state"), [(kind, state) for kind, (_case, table) in CASES.items() for state in table]
)
def test_the_public_side_shows_only_what_is_published_and_not_withdrawn(world, kind, state):
    case, table = CASES[kind]
    assert case(world, state) is table[state]
    # The sitemap lists every publication (live or withdrawn), and nothing that was never published.
    listed = Client().get(reverse("sitemap_page", args=[1])).content.decode()
    assert listed.count("<url>") == Publication.objects.count()
