"""Demo publications: what the secretariats, the municipal secretaries and the coordinator would have made
public, with one withdrawn and one replaced publication and documents whose text can be found."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.workflow import TransitionNotAllowed
from decisions.models import CollegeDecision
from governance.models import Cooperation, Membership, WorkProgramme
from meetings.models import Disclosure, Document, Meeting, Minutes
from meetings.woo import WooGround
from publication import actions
from publication.models import Publication, PublisherSetting
from search.tasks import extract_document_text

# Veiligheidsregio Kennemerland in the TOOI list of samenwerkingsorganisaties (DiWoo 0.9.8).
SAFETY_REGION_TOOI = "https://identifier.overheid.nl/tooi/id/so/so0640"

DOCUMENT_TEXT = {
    "Notitie woningbouwafspraken": (
        "De gemeenten spreken af om tot 2030 samen zevenduizend betaalbare woningen te bouwen, waarvan een derde "
        "sociale huur. Flexwonen voor spoedzoekers krijgt voorrang op locaties bij knooppunten."
    ),
    "Advies grondposities Spaarnwoude": (
        "Taxatie van de grondposities bij Spaarnwoude met de biedingen van marktpartijen."
    ),
}


def _text_pdf(title: str, text: str) -> bytes:
    from core.pdf import render_pdf

    return render_pdf("pdf/demo_document.html", {"title": title, "text": text})


def name_publishers(region) -> None:
    haarlem = region.municipalities.get("Haarlem")
    for cooperation in Cooperation.objects.all():
        if PublisherSetting.objects.filter(cooperation=cooperation).exists():
            continue
        if cooperation.kind == Cooperation.Kind.SAFETY_REGION:
            PublisherSetting.objects.create(
                cooperation=cooperation, tooi=SAFETY_REGION_TOOI, name="Veiligheidsregio Kennemerland"
            )
        else:
            # The covenant has no legal personality: the municipality of its secretariat publishes for it.
            PublisherSetting.objects.create(cooperation=cooperation, on_behalf_of=haarlem)


def _secretary_of(body):
    membership = (
        Membership.objects.current()
        .filter(body=body, role=Membership.Role.SECRETARY, person__user__isnull=False)
        .select_related("person__user")
        .first()
    )
    return membership.person.user if membership else None


def _publish(kind: str, target, by) -> Publication | None:
    if by is None or Publication.objects.for_target(kind, target).exists():
        return None
    try:
        return actions.publish(kind, target, by=by)
    except TransitionNotAllowed:
        return None


def _documents(region) -> None:
    """Two documents on the latest held meeting of the secretaries' meeting: one public with text to find,
    one withheld on a Woo ground (art. 5.1 lid 2 onder b)."""
    body = region.bodies["secretaries"]
    meeting = body.meetings.filter(status=Meeting.Status.HELD).order_by("-starts_at").first()
    secretary = _secretary_of(body)
    item = meeting.items.filter(confidential=False).first() if meeting else None
    if item is None or secretary is None or item.documents.exists():
        return
    for title, text in DOCUMENT_TEXT.items():
        withheld = "Spaarnwoude" in title
        document = Document.objects.create(
            item=item,
            title=title,
            disclosure=Disclosure.WITHHELD if withheld else Disclosure.PUBLIC,
            woo_ground=WooGround.ECONOMIC_INTERESTS if withheld else "",
            woo_motivation="Openbaarmaking schaadt de onderhandelingspositie van de gemeenten." if withheld else "",
        )
        upload = ContentFile(_text_pdf(title, text), name=f"{title}.pdf")
        version = document.add_version(upload, by=secretary, content_type="application/pdf")
        # The text now, so the demo's search finds it without waiting for a worker (the task is idempotent).
        extract_document_text(version.pk)


@transaction.atomic
def load_publications(region) -> int:
    """Publishes what is ready to publish in the demo, once; returns how many publications there are."""
    if Publication.objects.exists():
        return Publication.objects.count()
    name_publishers(region)
    _documents(region)
    coordinator = region.people["regional_coordinator"].user
    agendas = []
    for meeting in Meeting.objects.exclude(status=Meeting.Status.PLANNED).select_related("body").order_by("starts_at"):
        secretary = _secretary_of(meeting.body) or coordinator
        agenda = _publish(Publication.Kind.AGENDA, meeting, secretary)
        if agenda:
            agendas.append(agenda)
        if meeting.status in (Meeting.Status.HELD, Meeting.Status.MINUTES_ADOPTED):
            _publish(Publication.Kind.DECISION_LIST, meeting, secretary)
    for minutes in Minutes.objects.filter(status=Minutes.Status.ADOPTED).select_related("meeting__body"):
        _publish(Publication.Kind.MINUTES, minutes, _secretary_of(minutes.meeting.body) or coordinator)
    signed = CollegeDecision.objects.filter(
        signing=CollegeDecision.Signing.SIGNED, outcome__in=CollegeDecision.DECIDED_OUTCOMES
    ).select_related("municipality", "proposal")
    for decision in signed:
        person = region.people.get(f"{decision.municipality.name}:municipal_secretary")
        _publish(Publication.Kind.COLLEGE_DECISION, decision, person.user if person and person.user_id else None)
    for programme in WorkProgramme.objects.filter(status=WorkProgramme.Status.ADOPTED):
        _publish(Publication.Kind.WORK_PROGRAMME, programme, coordinator)
        _publish(Publication.Kind.PROGRESS_REPORT, programme, coordinator)
    covenant = Cooperation.objects.filter(kind=Cooperation.Kind.COVENANT).first()
    if covenant is not None:
        title = actions.covenant_title(covenant)
        text = (
            "De colleges van burgemeester en wethouders van de deelnemende gemeenten komen overeen hun regionale "
            "samenwerking te organiseren in een coördinatieoverleg, een bestuurlijk afstemmingsoverleg en "
            "portefeuillehoudersoverleggen. Elke gemeente blijft zelf bevoegd; besluiten vallen in de colleges."
        )
        publication = actions.publish(
            Publication.Kind.COVENANT,
            covenant,
            by=coordinator,
            title=title,
            handled_on=covenant.starts_on or timezone.localdate(),
            created_on=covenant.starts_on or timezone.localdate(),
        )
        publication.attach(ContentFile(_text_pdf(title, text), name="convenant.pdf"))
    if len(agendas) >= 2:
        # One agenda published again after an addendum (the first version is replaced) ...
        first = agendas[-1]
        Publication.publish(
            first.kind, first.target, by=first.published_by, **actions.metadata(first.kind, first.target)
        )
        # ... and one withdrawn, with its reason.
        agendas[0].withdraw(
            by=agendas[0].published_by,
            reason="Per abuis gepubliceerd met een bijlage die nog niet openbaar mocht worden.",
        )
    return Publication.objects.count()
