"""The publishing act per kind: who may publish what, in which state, with which Woo metadata.

| kind                 | publishes                        | when                                        |
|----------------------|----------------------------------|---------------------------------------------|
| agenda               | the body's secretariat           | the agenda went out to the members          |
| decision list        | the body's secretariat           | the meeting was held                        |
| minutes              | the body's secretariat           | the minutes are adopted                     |
| college decision     | the municipality's secretary     | the decision is definitive and signed       |
| work programme       | the regional coordinator         | the programme is adopted                    |
| progress report      | the regional coordinator         | the programme has progress to report        |
| covenant             | the regional coordinator         | with the signed covenant uploaded as a PDF  |

The regional coordinator may also publish and withdraw for the bodies (they prepare every body); a
municipality's college decision only its own secretary (or substitute) publishes: the college releases it.
"""

from __future__ import annotations

import datetime

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from guardian.shortcuts import get_objects_for_user

from core.workflow import TransitionNotAllowed
from decisions.models import CollegeDecision
from governance.models import Cooperation, WorkProgramme
from meetings.access import can_prepare, is_coordinator
from meetings.models import Meeting, Minutes
from municipalities.models import Municipality
from publication import diwoo
from publication.models import Publication, PublisherSetting

Kind = Publication.Kind

# What each kind publishes, for the URLs of the acts.
TARGET_MODELS = {
    Kind.AGENDA: Meeting,
    Kind.DECISION_LIST: Meeting,
    Kind.MINUTES: Minutes,
    Kind.COLLEGE_DECISION: CollegeDecision,
    Kind.WORK_PROGRAMME: WorkProgramme,
    Kind.PROGRESS_REPORT: WorkProgramme,
    Kind.COVENANT: Cooperation,
}


def may_publish(user, kind: str, target) -> bool:
    """Whether the user may publish (and withdraw) this kind of publication of this target."""
    if kind in (Kind.AGENDA, Kind.DECISION_LIST):
        return can_prepare(user, target.body)
    if kind == Kind.MINUTES:
        return can_prepare(user, target.meeting.body)
    if kind == Kind.COLLEGE_DECISION:
        # The college releases its own decision: not the coordinator, only who records it for the municipality.
        # The object grant itself: the coordinator's right to record for any municipality does not count here.
        own = get_objects_for_user(
            user, "municipalities.record_college_decisions", klass=Municipality, accept_global_perms=False
        )
        return own.filter(pk=target.municipality_id).exists()
    return is_coordinator(user)


def cooperation_of(kind: str, target) -> Cooperation | None:
    if kind in (Kind.AGENDA, Kind.DECISION_LIST):
        return target.body.cooperation
    if kind == Kind.MINUTES:
        return target.meeting.body.cooperation
    if kind in (Kind.WORK_PROGRAMME, Kind.PROGRESS_REPORT):
        return target.cooperation
    if kind == Kind.COVENANT:
        return target
    return None


def publisher_of(kind: str, target) -> tuple[str, str]:
    """The TOOI identifier and name of who publishes: a municipality's decision its gemeente; everything
    regional the cooperation's publisher (docs/adr/0014-woo-publication-and-diwoo.md)."""
    if kind == Kind.COLLEGE_DECISION:
        municipality = target.municipality
        identity = diwoo.publisher_for_municipality(municipality.cbs_code), str(municipality)
    else:
        identity = _cooperation_publisher(kind, target)
    if not diwoo.is_known_organisation(identity[0]):
        raise TransitionNotAllowed(
            _("%(publisher)s is not in the TOOI lists the Woo index knows (%(uri)s): check its CBS code or TOOI id.")
            % {"publisher": identity[1], "uri": identity[0]}
        )
    return identity


def _cooperation_publisher(kind: str, target) -> tuple[str, str]:
    cooperation = cooperation_of(kind, target)
    setting = PublisherSetting.objects.filter(cooperation=cooperation).select_related("on_behalf_of").first()
    if setting is None:
        raise TransitionNotAllowed(
            _(
                "Nobody publishes for %(cooperation)s yet: the regional coordinator names its publisher in the "
                "management site (Woo publication, publishers of cooperations)."
            )
            % {"cooperation": cooperation}
        )
    return setting.identity()


def _day(moment: datetime.datetime | None) -> datetime.date:
    return timezone.localdate(moment) if moment else timezone.localdate()


def metadata(kind: str, target) -> dict:
    """The title and dates of the publication, or TransitionNotAllowed with what is missing."""
    with translation.override("nl"):
        if kind in (Kind.AGENDA, Kind.DECISION_LIST, Kind.MINUTES):
            meeting = target.meeting if kind == Kind.MINUTES else target
            when = date_format(timezone.localtime(meeting.starts_at), "j F Y")
            held = _day(meeting.starts_at)
        if kind == Kind.AGENDA:
            if not target.has_published_agenda:
                raise TransitionNotAllowed(_("The agenda is still a draft: send it to the members first."))
            title = _("Agenda %(body)s %(date)s") % {"body": target.body.name, "date": when}
            created = handled = _day(target.published_at)
        elif kind == Kind.DECISION_LIST:
            if target.status not in (Meeting.Status.HELD, Meeting.Status.MINUTES_ADOPTED):
                raise TransitionNotAllowed(_("A decision list is published once the meeting has been held."))
            title = _("Decision list %(body)s %(date)s") % {"body": target.body.name, "date": when}
            created = handled = held
        elif kind == Kind.MINUTES:
            if target.status != Minutes.Status.ADOPTED:
                raise TransitionNotAllowed(_("Minutes are published once they are adopted."))
            title = _("Minutes %(body)s %(date)s") % {"body": target.meeting.body.name, "date": when}
            created = held
            handled = _day(target.adopted_in.starts_at) if target.adopted_in_id else held
        elif kind == Kind.COLLEGE_DECISION:
            if not target.is_final:
                raise TransitionNotAllowed(_("Only a definitive, signed college decision can be published."))
            title = _("College decision %(municipality)s: %(proposal)s") % {
                "municipality": target.municipality,
                "proposal": target.proposal.title,
            }
            created = handled = target.decided_on or _day(target.mayor_signed_at)
        elif kind == Kind.WORK_PROGRAMME:
            if target.status != WorkProgramme.Status.ADOPTED:
                raise TransitionNotAllowed(_("A work programme is published once it is adopted."))
            title = _("Work programme %(cooperation)s %(year)s") % {
                "cooperation": target.cooperation,
                "year": target.year,
            }
            created = handled = target.adopted_on or timezone.localdate()
        elif kind == Kind.PROGRESS_REPORT:
            latest = target.progress.order_by("-reported_on").first()
            if latest is None:
                raise TransitionNotAllowed(_("There is no progress reported on this work programme yet."))
            title = _("Progress report %(cooperation)s %(year)s") % {
                "cooperation": target.cooperation,
                "year": target.year,
            }
            created = handled = latest.reported_on
        else:
            title = covenant_title(target)
            created = handled = target.starts_on or timezone.localdate()
        title = str(title)
    publisher, publisher_name = publisher_of(kind, target)
    return {
        "title": title[:300],
        "publisher": publisher,
        "publisher_name": publisher_name,
        "information_category": diwoo.CATEGORY_FOR_KIND[kind],
        "handling": diwoo.HANDLING_FOR_KIND[kind],
        "handled_on": handled,
        "created_on": created,
    }


def covenant_title(cooperation: Cooperation) -> str:
    with translation.override("nl"):
        return str(_("Covenant %(cooperation)s") % {"cooperation": cooperation})


def publish(kind: str, target, *, by, **overrides) -> Publication:
    """Publishes after checking the state; the caller has checked `may_publish`."""
    fields = metadata(kind, target) | overrides
    return Publication.publish(kind, target, by=by, **fields)


def publications_of(kind: str, target) -> list[Publication]:
    return list(Publication.objects.for_target(kind, target).order_by("-version"))
