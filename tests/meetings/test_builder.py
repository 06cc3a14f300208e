"""The agenda builder of a published agenda: one reason, asked once, and errors shown in the builder."""

import re

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, Purpose
from tests.meetings.conftest import add_items

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def order(meeting) -> list[str]:
    return list(meeting.items.filter(kind=AgendaItem.Kind.REGULAR).order_by("position").values_list("title", flat=True))


@pytest.fixture
def published(meeting, secretary):
    add_items(meeting, secretary, 3)
    meeting.publish(by=secretary)
    meeting.refresh_from_db()
    return meeting


def test_a_move_without_reason_answers_htmx_with_the_builder_part_and_its_message(published, secretary, client_for):
    third = published.items.get(title="Agendapunt 3")
    response = client_for(secretary).post(
        reverse("item_move", args=[third.pk]), {"version": published.agenda_version, "direction": "up"}, **HTMX
    )
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#agenda"
    assert response["HX-Reswap"] == "outerHTML"
    page = response.content.decode()
    # The part that replaces the builder, not a page of its own...
    assert page.lstrip().startswith('<div id="agenda"')
    assert "<html" not in page
    # ...with the message in an alert region inside it, and a link to the reason box.
    alert = re.search(r'<div role="alert"[^>]*>(.*?)</div>\s*<div role="status"', page, re.S).group(1)
    assert "utrecht-alert--error" in alert
    assert "geef de reden van deze wijziging" in alert
    assert 'href="#id_change_reason"' in alert
    assert 'data-error-field="id_change_reason"' in page
    # The reason box lies outside that part, so what was typed there survives the swap.
    assert 'id="id_change_reason"' not in page
    assert order(published) == ["Agendapunt 1", "Agendapunt 2", "Agendapunt 3"]


def test_the_reason_given_once_serves_two_moves_in_a_row(published, secretary, client_for):
    client = client_for(secretary)
    third = published.items.get(title="Agendapunt 3")
    first = published.items.get(title="Agendapunt 1")
    reason = "Spoedeisend punt naar voren"
    response = client.post(
        reverse("item_move", args=[third.pk]),
        {"version": published.agenda_version, "direction": "up", "reason": reason},
        **HTMX,
    )
    assert response.status_code == 200
    # The next request uses the version of the part that was swapped in, and the same reason.
    version = re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1)
    response = client.post(
        reverse("item_move", args=[first.pk]), {"version": version, "direction": "down", "reason": reason}, **HTMX
    )
    assert response.status_code == 200
    assert order(published) == ["Agendapunt 3", "Agendapunt 1", "Agendapunt 2"]
    assert list(published.addenda.values_list("change", "reason")) == [("moved", reason), ("moved", reason)]


def test_a_non_htmx_move_without_reason_gets_the_whole_page_with_the_message(published, secretary, client_for):
    third = published.items.get(title="Agendapunt 3")
    response = client_for(secretary).post(
        reverse("item_move", args=[third.pk]), {"version": published.agenda_version, "direction": "up"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "<html" in page and "portal.css" in page
    assert "geef de reden van deze wijziging" in page
    assert page.count('name="reason"') == 1


def test_the_builder_of_a_published_agenda_has_exactly_one_reason_field(published, secretary, client_for):
    page = client_for(secretary).get(reverse("meeting_agenda", args=[published.pk])).content.decode()
    assert page.count('name="reason"') == 1
    add_form = page.split('id="add-heading"')[1]
    assert "reden van de wijziging" not in add_form.lower()
    assert "Verplicht zodra de agenda is gepubliceerd" not in page
    # Every change on the page sends that one reason along.
    forms = re.findall(r"<form [^>]*hx-post=[^>]*>", page)
    assert forms and all('hx-include="#id_change_reason"' in form for form in forms)


def test_adding_an_item_with_htmx_uses_the_one_reason_and_keeps_it(published, secretary, client_for):
    client = client_for(secretary)
    data = {"version": published.agenda_version, "title": "Extra punt", "purpose": Purpose.INFORMATION}
    response = client.post(reverse("item_create", args=[published.pk]), data, **HTMX)
    assert response.status_code == 400
    assert "geef de reden van deze wijziging" in response.content.decode()
    assert not published.items.filter(title="Extra punt").exists()

    response = client.post(reverse("item_create", args=[published.pk]), {**data, "reason": "Nagekomen"}, **HTMX)
    assert response.status_code == 200
    assert "Het agendapunt is aan de agenda toegevoegd." in response.content.decode()
    assert published.addenda.get(change="added").reason == "Nagekomen"


def test_removing_with_htmx_answers_with_the_builder_part(published, secretary, client_for):
    item = published.items.get(title="Agendapunt 2")
    response = client_for(secretary).post(
        reverse("item_remove", args=[item.pk]), {"version": published.agenda_version, "reason": "Ingetrokken"}, **HTMX
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="agenda"')
    assert "Het agendapunt is van de agenda gehaald." in page


def test_a_stale_version_is_a_conflict_shown_in_the_builder(published, secretary, client_for):
    item = published.items.get(title="Agendapunt 2")
    response = client_for(secretary).post(
        reverse("item_move", args=[item.pk]),
        {"version": published.agenda_version - 1, "direction": "up", "reason": "Volgorde"},
        **HTMX,
    )
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#agenda"
    assert "Iemand anders heeft deze agenda gewijzigd" in response.content.decode()


def test_the_edit_form_of_a_published_item_asks_the_reason_as_required(published, secretary, client_for):
    item = published.items.get(title="Agendapunt 1")
    client = client_for(secretary)
    page = client.get(reverse("item_update", args=[item.pk])).content.decode()
    assert page.count('name="reason"') == 1
    label = re.search(r'<label[^>]*for="id_reason"[^>]*>(.*?)</label>', page, re.S).group(1)
    assert "niet verplicht" not in label
    assert "Verplicht zodra de agenda is gepubliceerd" not in page
    data = {"version": published.agenda_version, "title": "Nieuwe titel", "purpose": Purpose.DISCUSSION}
    response = client.post(reverse("item_update", args=[item.pk]), data)
    assert response.status_code == 200
    assert "geef de reden van deze wijziging" in response.content.decode()
    item.refresh_from_db()
    assert item.title == "Agendapunt 1"


def test_every_page_loads_the_script_that_shows_htmx_errors_in_place(secretary, client_for):
    page = client_for(secretary).get(reverse("home")).content.decode()
    assert "js/forms.js" in page


def test_a_plain_form_move_comes_back_with_the_moved_item_named_for_the_keyboard_focus(meeting, secretary, client):
    """A move posted before the script has taken the form over (or without it) is a plain POST and a
    redirect; the builder it lands on marks the moved item, so focus returns to it as after htmx."""
    add_items(meeting, secretary, 3)
    third = meeting.items.get(title="Agendapunt 3")
    client.force_login(secretary)
    response = client.post(
        reverse("item_move", args=[third.pk]), {"version": meeting.agenda_version, "direction": "up"}
    )
    assert response.status_code == 302
    assert response.url.endswith(f"?verplaatst={third.pk}&richting=up#item-{third.pk}")
    assert order(meeting) == ["Agendapunt 1", "Agendapunt 3", "Agendapunt 2"]
    page = client.get(response.url).content.decode()
    assert f'data-moved="{third.pk}" data-direction="up"' in page
    # Anything else in those parameters is ignored: no other meeting's item, no made-up direction, no 500.
    other = AgendaItem.objects.exclude(meeting=meeting).first()
    for query in (
        f"verplaatst={other.pk if other else 999999}&richting=up",
        f"verplaatst={third.pk}&richting=sideways",
        "verplaatst=%C2%B2&richting=up",
        f"verplaatst={10**30}&richting=down",
    ):
        response = client.get(reverse("meeting_agenda", args=[meeting.pk]) + "?" + query)
        assert response.status_code == 200
        assert "data-moved" not in response.content.decode()
