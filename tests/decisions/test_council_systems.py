"""Council information systems linked both ways: the council's meeting dates imported from an iCalendar feed
or an OParl list that this test serves itself (never a live system), failures recorded without losing the
dates, backward planning on the real dates, and a track's link checked against the council's own system."""

import datetime
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions.models import CouncilTrack
from municipalities import council_dates
from municipalities.models import CouncilMeetingDate, Municipality
from municipalities.tasks import import_council_dates
from tests.decisions.test_councils import track_of

pytestmark = pytest.mark.django_db
D = datetime.date
SCHEMA = "https://schema.oparl.org/1.1/"


def ics(*events: tuple[str, str, str]) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Raad//NL"]
    for uid, start, summary in events:
        lines += ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTART;TZID=Europe/Amsterdam:{start}", f"SUMMARY:{summary}",
                  "DTSTAMP:20261101T000000Z", "END:VEVENT"]  # fmt: skip
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


class Source(BaseHTTPRequestHandler):
    """The council's system, as far as this test needs it."""

    routes: dict = {}

    def do_GET(self):
        base = f"http://127.0.0.1:{self.server.server_port}"
        route = self.routes.get(self.path.split("?")[0])
        if route is None:
            self.send_response(404)
            self.end_headers()
            return
        if route == "slow":
            time.sleep(2)
        body = route(base) if callable(route) else route
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar" if body.startswith(b"BEGIN") else "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def oparl_page(base: str, page: int) -> bytes:
    starts = {1: "2027-01-28T19:30:00+01:00", 2: "2027-02-25T19:30:00+01:00"}[page]
    data = {
        "data": [
            {
                "id": f"{base}/oparl/meeting/{page}",
                "type": "https://schema.oparl.org/1.1/Meeting",
                "name": "Gemeenteraad",
                "start": starts,
            }
        ],
        "pagination": {},
        "links": {"next": f"{base}/oparl/meetings-2"} if page == 1 else {},
    }
    return json.dumps(data).encode()


@pytest.fixture
def source():
    Source.routes = {
        "/raad.ics": ics(
            ("r1", "20270114T193000", "Gemeenteraad"),
            ("c1", "20270107T193000", "Commissie Bestuur"),
            ("r2", "20270211T193000", "Gemeenteraad"),
        ),
        "/oparl/body": lambda base: json.dumps(
            {
                "id": f"{base}/oparl/body",
                "type": "https://schema.oparl.org/1.1/Body",
                "meeting": f"{base}/oparl/meetings",
            }
        ).encode(),
        "/oparl/meetings": lambda base: oparl_page(base, 1),
        "/oparl/meetings-2": lambda base: oparl_page(base, 2),
        "/kapot.ics": b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:nonsense\r\n",
        "/groot.ics": b"BEGIN:VCALENDAR\r\n" + b"X" * (council_dates.MAX_BYTES + 10),
        "/traag.ics": "slow",
        "/html": b"<html>geen agenda</html>",
    }
    Source.routes["/traag.ics"] = "slow"
    server = ThreadingHTTPServer(("127.0.0.1", 0), Source)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def haarlem(covenant, source):
    municipality = covenant.municipalities["Haarlem"]
    municipality.council_system = Municipality.CouncilSystem.NOTUBIZ
    municipality.council_information_system_url = "https://haarlem.notubiz.nl/"
    municipality.council_calendar_url = f"{source}/raad.ics"
    municipality.save()
    return municipality


@pytest.fixture
def now_2026():
    import time_machine

    with time_machine.travel(timezone.make_aware(datetime.datetime(2026, 12, 1, 9, 0)), tick=True):
        yield


def names(municipality) -> list[tuple[str, str]]:
    return [
        (timezone.localtime(d.starts_at).strftime("%Y-%m-%d %H:%M"), d.name)
        for d in CouncilMeetingDate.objects.filter(municipality=municipality).order_by("starts_at")
    ]


def test_an_ical_feed_and_an_oparl_body_both_give_the_council_dates(haarlem, source, now_2026):
    assert import_council_dates(haarlem.pk) == 3
    assert names(haarlem) == [
        ("2027-01-07 19:30", "Commissie Bestuur"),
        ("2027-01-14 19:30", "Gemeenteraad"),
        ("2027-02-11 19:30", "Gemeenteraad"),
    ]
    haarlem.refresh_from_db()
    assert haarlem.council_dates_error == "" and haarlem.council_dates_fetched_at

    # An OParl Body: its meeting list is followed over its pages; the new import replaces the old dates.
    haarlem.council_calendar_url = f"{source}/oparl/body"
    haarlem.save()
    assert import_council_dates(haarlem.pk) == 2
    assert names(haarlem) == [("2027-01-28 19:30", "Gemeenteraad"), ("2027-02-25 19:30", "Gemeenteraad")]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/kapot.ics", "niet te lezen"),
        ("/groot.ics", "groter dan 5 MB"),
        ("/traag.ics", "niet op tijd"),
        ("/html", "geen iCalendar en geen OParl"),
        ("/bestaat-niet.ics", "HTTP 404"),
    ],
)
def test_a_bad_source_leaves_the_dates_and_tells_the_griffier_why(haarlem, source, now_2026, monkeypatch, path,
                                                                   reason, griffiers, client_for):  # fmt: skip
    import_council_dates(haarlem.pk)
    before = names(haarlem)
    monkeypatch.setattr(council_dates, "TIMEOUT", (1, 0.5))
    haarlem.council_calendar_url = source + path
    haarlem.save()
    assert import_council_dates(haarlem.pk) == 0
    haarlem.refresh_from_db()
    assert reason in haarlem.council_dates_error
    assert names(haarlem) == before
    page = client_for(griffiers["Haarlem"]).get(reverse("council_system_edit", args=[haarlem.pk])).content.decode()
    assert reason in page and "14 januari 2027" in page


def test_backward_planning_offers_the_real_council_dates_the_college_can_make(sent, haarlem, now_2026, griffiers,
                                                                             client_for):  # fmt: skip
    import_council_dates(haarlem.pk)
    track = track_of(sent, "Haarlem")
    options = CouncilTrack.objects.get(pk=track.pk).reachable_council_dates(D(2026, 12, 1))
    # Committees are not council meetings; with 6 weeks' lead both council dates are still reachable, both
    # after the window of this proposal closed (29 November 2026).
    assert options == [(D(2027, 1, 14), D(2026, 12, 3), True), (D(2027, 2, 11), D(2026, 12, 31), True)]
    page = client_for(griffiers["Haarlem"]).get(reverse("council_track_edit", args=[track.pk])).content.decode()
    assert "de raad van donderdag 14 januari 2027: het college besluit uiterlijk 3 december 2026" in page.lower()
    dashboard = client_for(griffiers["Haarlem"]).get(reverse("griffier_dashboard")).content.decode()
    assert "14 januari, 11 februari" in dashboard


def test_a_tracks_link_must_lead_to_the_councils_own_system(sent, haarlem, griffiers, client_for):
    track = track_of(sent, "Haarlem")
    client = client_for(griffiers["Haarlem"])
    data = {"involvement": track.involvement, "status": track.status, "lock_version": track.lock_version}
    wrong = client.post(
        reverse("council_track_edit", args=[track.pk]), data | {"council_item_url": "https://example.com/x"}
    )
    assert wrong.status_code == 400
    assert "leidt niet naar het raadsinformatiesysteem van Haarlem (haarlem.notubiz.nl)" in wrong.content.decode()
    track.refresh_from_db()
    assert track.council_item_url == ""
    right = "https://haarlem.notubiz.nl/document/123"
    assert (
        client.post(reverse("council_track_edit", args=[track.pk]), data | {"council_item_url": right}).status_code
        == 302
    )
    track.refresh_from_db()
    assert track.council_item_url == right


def test_only_the_griffie_of_the_municipality_keeps_its_council_system(haarlem, griffiers, client_for):
    url = reverse("council_system_edit", args=[haarlem.pk])
    assert client_for(griffiers["Heemstede"]).get(url).status_code == 404
    response = client_for(griffiers["Haarlem"]).post(url, {"council_calendar_url": "https://haarlem.notubiz.nl/x.ics"})
    assert response.status_code == 400 and "Kies het soort systeem" in response.content.decode()
