"""The budget cycle of a joint arrangement: the legal dates of each document (Wgr art. 34b, 35, 34), bad dates
refused in Dutch, the councils' zienswijze round on the council tracks, and the yearly calendar per
municipality."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from arrangements.models import ArrangementParticipation, CycleDocument, JointArrangement
from core.workflow import TransitionNotAllowed
from decisions.models import CouncilTrack
from municipalities.models import CouncilMeetingDate
from reminders.models import Reminder
from tests.query_counts import pin

pytestmark = pytest.mark.django_db
D = datetime.date


def errors_of(document: CycleDocument) -> dict:
    with pytest.raises(ValidationError) as caught:
        document.full_clean()
    return caught.value.message_dict


def test_each_kind_has_its_legal_dates(region):
    arrangement = region.arrangement
    frameworks = CycleDocument(arrangement=arrangement, year=2027, kind=CycleDocument.Kind.FRAMEWORKS)
    # Art. 34b: before 15 April of the year before the budget year, so the 14th is the last day in time.
    assert frameworks.send_by == D(2027, 4, 14)
    budget = region.draft_budget(sent_on=D(2027, 4, 1), board=D(2027, 7, 1))
    assert budget.send_by == D(2027, 4, 8)  # art. 35 lid 1: twelve weeks before the general board
    assert budget.opinion_end == D(2027, 6, 24)
    budget.adopted_on = D(2027, 7, 8)
    assert budget.province_by == D(2027, 7, 22)  # art. 34 lid 2: within two weeks...
    budget.adopted_on = D(2027, 9, 10)
    assert budget.province_by == D(2027, 9, 14)  # ...and before 15 September
    accounts = CycleDocument(
        arrangement=arrangement, year=2027, kind=CycleDocument.Kind.ACCOUNTS, adopted_on=D(2027, 7, 10)
    )
    assert accounts.province_by == D(2027, 7, 14)  # art. 34 lid 4: before 15 July
    assert not budget.lateness(today=D(2027, 9, 1)) or "provincie" in " ".join(budget.lateness(today=D(2027, 9, 20)))
    late = CycleDocument(arrangement=arrangement, year=2027, kind=CycleDocument.Kind.FRAMEWORKS)
    assert late.lateness(today=D(2027, 4, 15)) == ["niet verzonden, uiterlijk 14 april 2027"]
    assert late.lateness(today=D(2027, 4, 14)) == []


def test_an_arrangement_may_ask_earlier_and_give_longer_never_the_other_way(region):
    arrangement = region.arrangement
    arrangement.frameworks_month, arrangement.frameworks_day = 3, 31
    arrangement.budget_weeks = 14
    arrangement.full_clean()
    arrangement.frameworks_month, arrangement.frameworks_day = 4, 30
    arrangement.budget_weeks = 10
    arrangement.budget_province_month, arrangement.budget_province_day = 2, 30
    with pytest.raises(ValidationError) as caught:
        arrangement.full_clean()
    errors = caught.value.message_dict
    assert errors["frameworks_day"] == ["De wet noemt 15 april; de regeling mag een eerdere dag noemen, geen latere."]
    assert errors["budget_weeks"] == ["De raden hebben ten minste 12 weken (Wgr art. 35 lid 1)."]
    assert errors["budget_province_day"] == ["Deze maand heeft die dag niet."]


def test_dates_out_of_order_and_short_periods_are_refused_in_dutch(region):
    budget = region.draft_budget(sent_on=D(2026, 3, 2), board=D(2026, 5, 4))
    budget.adopted_on = D(2026, 3, 1)
    budget.sent_to_province_on = D(2026, 2, 1)
    errors = errors_of(budget)
    assert "dagen nadat de raden het ontvingen; zij hebben 12 weken" in errors["board_meeting_on"][0]
    assert errors["adopted_on"] == ["Het algemeen bestuur stelt het vast nadat het naar de raden is gegaan."]
    assert errors["sent_to_province_on"] == [
        "Het kan niet naar de provincie voordat het algemeen bestuur het heeft vastgesteld."
    ]
    budget.refresh_from_db()
    budget.opinion_weeks = 8
    assert "ten minste 12 weken" in errors_of(budget)["opinion_weeks"][0]
    # A budget change of a category the arrangement exempts (art. 35 lid 5) may be shorter, with its reason.
    change = CycleDocument(
        arrangement=region.arrangement,
        year=2026,
        kind=CycleDocument.Kind.BUDGET_CHANGE,
        title="Begrotingswijziging 1-2026 VRK",
        sent_on=D(2026, 9, 1),
        board_meeting_on=D(2026, 10, 15),
        opinion_weeks=6,
    )
    assert "opinion_weeks" in errors_of(change)
    change.short_reason = "Technische wijziging; categorie uitgezonderd in art. 28 van de regeling."
    change.full_clean()
    # Nothing of a refused form is saved.
    stored = CycleDocument.objects.get(pk=budget.pk)
    assert (stored.opinion_weeks, stored.adopted_on) == (12, None)


def test_cycle_dates_run_across_the_year_end(region):
    # A budget change sent in November: its twelve weeks end in February of the next year.
    change = CycleDocument.objects.create(
        arrangement=region.arrangement,
        year=2026,
        kind=CycleDocument.Kind.BUDGET_CHANGE,
        title="Begrotingswijziging 2-2026 VRK",
        number=2,
        sent_on=D(2026, 11, 20),
        board_meeting_on=D(2027, 2, 18),
        opinion_weeks=12,
    )
    assert change.opinion_end == D(2027, 2, 12)
    change.adopted_on = D(2027, 2, 18)
    change.full_clean()  # a change may be adopted in the next year
    # The draft budget not: the general board adopts it in the year before the budget year (art. 34 lid 1).
    budget = region.draft_budget(sent_on=D(2026, 10, 5), board=D(2027, 1, 11))
    assert budget.lateness(today=D(2026, 10, 6)) == [
        "het algemeen bestuur stelt haar vast in 2027, niet in 2026 (Wgr art. 34 lid 1)"
    ]
    budget.adopted_on = D(2027, 1, 11)
    assert "in 2026" in errors_of(budget)["adopted_on"][0]
    # Before the period ends, the board does not adopt.
    change.adopted_on = D(2027, 2, 10)
    assert "pas vast na afloop van de termijn van de raden (12 februari 2027)" in errors_of(change)["adopted_on"][0]


def test_planning_a_year_adds_the_usual_documents_once_with_dutch_titles(region):
    made = CycleDocument.plan_year(region.arrangement, 2027)
    assert [d.title for d in made] == [
        "Kaderbrief 2028 VRK",
        "Voorlopige jaarrekening 2026 VRK",
        "Ontwerpbegroting 2028 VRK",
        "Jaarrekening 2026 VRK",
    ]
    assert CycleDocument.plan_year(region.arrangement, 2027) == []
    assert CycleDocument.objects.get(kind="draft_budget", year=2027).opinion_weeks == 12


def test_the_round_gives_every_participant_on_the_sending_day_a_zienswijze_track(region, coordinator):
    left = region.arrangement.participations.get(municipality__name="Zandvoort")
    left.left_on = D(2025, 12, 31)
    left.save()
    budget = region.draft_budget()
    proposal = budget.open_round(by=coordinator)
    tracks = list(proposal.council_tracks.order_by("municipality__name"))
    assert [t.municipality.name for t in tracks] == ["Bloemendaal", "Haarlem", "Heemstede"]
    assert {t.involvement for t in tracks} == {CouncilTrack.Involvement.OPINION}
    assert proposal.opinion_period_end == budget.opinion_end == D(2026, 5, 25)
    assert proposal.college_decisions.count() == 0  # the council's step alone
    with pytest.raises(TransitionNotAllowed, match="al geopend"):
        budget.open_round(by=coordinator)
    # The griffier and the secretaries of each participant hear of it.
    notices = Reminder.objects.filter(kind=Reminder.Kind.OPINION_ROUND)
    recipients = {r.recipient.user for r in notices}
    assert region.griffiers["Haarlem"] in recipients and region.secretaries["Heemstede"] in recipients
    assert region.griffiers["Zandvoort"] not in recipients
    # Once open, the sending date and period no longer change.
    budget.refresh_from_db()
    budget.sent_on = D(2026, 3, 9)
    assert "veranderen niet meer" in errors_of(budget)["sent_on"][0]


def test_a_zienswijze_of_a_council_outside_the_arrangement_on_that_day_is_refused(region, coordinator):
    budget = region.draft_budget()
    proposal = budget.open_round(by=coordinator)
    track = proposal.council_tracks.get(municipality__name="Heemstede")
    part = region.arrangement.participations.get(municipality__name="Heemstede")
    part.left_on = D(2026, 3, 31)
    part.save()
    track.keep(lock_version=track.lock_version, sent_to_council_on=D(2026, 3, 3))
    with pytest.raises(ValidationError) as caught:
        track.keep(
            lock_version=track.lock_version,
            outcome="opinion_submitted",
            outcome_date=D(2026, 4, 20),
            council_response="De raad stemt in.",
        )
    assert caught.value.message_dict["municipality"] == [
        "Heemstede neemt op 20 april 2026 niet deel aan Veiligheidsregio Kennemerland."
    ]
    track.refresh_from_db()
    assert track.outcome == ""


def test_the_calendar_shows_a_municipalitys_documents_its_council_meeting_and_what_is_late(
    region, coordinator, client_for
):
    budget = region.draft_budget(sent_on=D(2026, 3, 2), board=D(2026, 6, 1))
    budget.open_round(by=coordinator)
    frameworks = CycleDocument.objects.create(
        arrangement=region.arrangement, year=2026, kind="frameworks", title="Kaderbrief 2027 VRK"
    )
    other = JointArrangement.objects.create(name="Omgevingsdienst IJmond", kind="public_body")
    CycleDocument.objects.create(arrangement=other, year=2026, kind="frameworks", title="Kaderbrief 2027 ODIJ")
    haarlem = region.municipalities["Haarlem"]
    for day in (D(2026, 4, 16), D(2026, 5, 21), D(2026, 6, 11)):
        CouncilMeetingDate.objects.create(
            municipality=haarlem,
            starts_at=datetime.datetime(day.year, day.month, day.day, 19, 30, tzinfo=datetime.UTC),
            name="Gemeenteraad",
            source_id=str(day),
        )
    page = (
        client_for(region.griffiers["Haarlem"])
        .get(reverse("cycle_calendar"), {"jaar": 2026, "gemeente": haarlem.pk})
        .content.decode()
    )
    assert "Ontwerpbegroting 2027 VRK" in page and "Kaderbrief 2027 VRK" in page
    assert "ODIJ" not in page  # Haarlem does not take part in it
    assert "21 mei 2026" in page  # the last council meeting within the period (which ends on 25 May)
    # The frameworks were never sent: late since 14 April (the calendar of a past year).
    assert "niet verzonden, uiterlijk 14 april 2026" in page
    assert frameworks.lateness(today=D(2026, 4, 10)) == []
    # Across all municipalities: every document, with the councils done.
    everything = client_for(region.griffiers["Haarlem"]).get(reverse("cycle_calendar"), {"jaar": 2026, "gemeente": ""})
    assert "ODIJ" in everything.content.decode() and "0 / 4" in everything.content.decode()


def test_the_calendar_and_the_register_cost_the_same_queries_for_5_and_50_arrangements(region, client_for):
    made = []

    def grow(n):
        for _ in range(n):
            arrangement = JointArrangement.objects.create(name=f"Regeling {len(made)}", kind="public_body")
            for municipality in region.municipalities.values():
                ArrangementParticipation.objects.create(
                    arrangement=arrangement, municipality=municipality, joined_on=D(2015, 1, 1)
                )
            CycleDocument.plan_year(arrangement, 2026)
            made.append(arrangement)

    client = client_for(region.griffiers["Haarlem"])
    haarlem = region.municipalities["Haarlem"].pk
    pin(client, reverse("cycle_calendar"), grow, sizes=(5, 50), data={"jaar": 2026, "gemeente": haarlem}, at_most=40)
    more = []

    def grow_more(n):
        for _ in range(n):
            more.append(JointArrangement.objects.create(name=f"Register {len(more)}", kind="public_body"))

    pin(client, reverse("cycle_calendar"), grow_more, sizes=(5, 50), data={"jaar": 2026, "gemeente": ""}, at_most=40)
    pin(client, reverse("arrangement_register"), grow_more, sizes=(5, 50), at_most=40)


def test_who_keeps_the_cycle_and_who_writes_the_model(region, coordinator, client_for, outsider):
    budget = region.draft_budget()
    edit, model = reverse("cycle_document_edit", args=[budget.pk]), reverse("cycle_model_edit", args=[budget.pk])
    detail = reverse("cycle_document_detail", args=[budget.pk])
    expected = {
        coordinator: (200, 200, 200),
        region.board_secretary: (200, 200, 200),
        region.griffiers["Haarlem"]: (200, 403, 403),
        region.secretaries["Haarlem"]: (200, 403, 403),
    }
    for user, codes in expected.items():
        client = client_for(user)
        assert tuple(client.get(url).status_code for url in (detail, edit, model)) == codes, user
    # The finance meeting's secretary writes the model once the document names that meeting, not before.
    finance = client_for(region.finance_secretary)
    assert finance.get(model).status_code == 403
    budget.model_body = region.finance
    budget.save()
    assert finance.get(model).status_code == 200 and finance.get(edit).status_code == 403
    for url in (detail, edit, model):
        assert client_for(outsider).get(url).status_code in (302, 404)


def test_two_people_writing_the_model_at_once_lose_nothing(region, client_for):
    budget = region.draft_budget(model_body=region.finance)
    client = client_for(region.finance_secretary)
    url = reverse("cycle_model_edit", args=[budget.pk])
    form = {"lock_version": budget.lock_version, "model_body": region.finance.pk, "model_opinion_on": "2026-03-16"}
    first = client.post(url, {**form, "model_opinion": "De raad stemt in."})
    assert first.status_code == 302
    second = client.post(url, {**form, "model_opinion": "De raad stemt niet in."})
    assert second.status_code == 409 and "Er is niets van u opgeslagen" in second.content.decode()
    budget.refresh_from_db()
    assert budget.model_opinion == "De raad stemt in."
    assert (
        budget.history.filter(history_change_reason="model zienswijze").first().history_user == region.finance_secretary
    )
    empty = client.post(url, {**form, "lock_version": budget.lock_version, "model_opinion": "  "})
    assert empty.status_code == 400 and "Dit veld is verplicht" in empty.content.decode()


def test_griffiers_record_their_zienswijze_and_the_overview_and_its_pdf_compare_them_with_the_model(
    region, coordinator, client_for
):
    budget = region.draft_budget(
        model_body=region.finance,
        model_opinion="De raad stemt in met de begroting.\n\nDe raad vraagt de bijdrage te beperken.",
    )
    proposal = budget.open_round(by=coordinator)
    texts = {
        "Haarlem": "De raad stemt in met de begroting.\n\nDe raad vraagt de bijdrage te beperken.",
        "Heemstede": "De raad stemt in met de begroting.\nDe raad vraagt de bijdrage te beperken.\n\n"
        "De raad vraagt de verdeelsleutel te herzien.",
        "Bloemendaal": "De raad stemt niet in.",
    }
    for name, text in texts.items():
        track = proposal.council_tracks.get(municipality__name=name)
        response = client_for(region.griffiers[name]).post(
            reverse("council_track_edit", args=[track.pk]),
            {
                "lock_version": track.lock_version,
                "involvement": "opinion",
                "status": "planned",
                "council_date": "2026-05-21",
                "sent_to_council_on": "2026-03-03",
                "outcome": "opinion_submitted",
                "outcome_date": "2026-05-21",
                "council_response": text,
            },
        )
        assert response.status_code == 302, response.content.decode()
    track = proposal.council_tracks.get(municipality__name="Zandvoort")
    track.keep(lock_version=track.lock_version, sent_to_council_on=D(2026, 3, 3))
    track.keep(lock_version=track.lock_version, outcome="no_opinion", outcome_date=D(2026, 5, 20))
    page = client_for(region.griffiers["Zandvoort"]).get(reverse("cycle_document_detail", args=[budget.pk]))
    text = page.content.decode()
    assert (
        "1 raad volgde het model, 1 volgde het en voegde een punt toe, 1 gaf een eigen zienswijze en 1 gaf er geen."
        in text
    )
    assert "De raad vraagt de verdeelsleutel te herzien." in text  # the added point, shown as such
    # The track of each council shows the model.
    haarlem = proposal.council_tracks.get(municipality__name="Haarlem")
    track_page = client_for(region.griffiers["Haarlem"]).get(reverse("council_track_edit", args=[haarlem.pk]))
    assert "Modelzienswijze" in track_page.content.decode() and "De raad vraagt de bijdrage te beperken." in (
        track_page.content.decode()
    )
    pdf = client_for(region.griffiers["Zandvoort"]).get(reverse("cycle_overview_pdf", args=[budget.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    words = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for expected in ("Heemstede", "volgde het model en voegde een punt toe", "verdeelsleutel", "gaf geen zienswijze"):
        assert expected in " ".join(words.split()), expected


def test_the_reaction_of_the_arrangement_is_recorded_once_and_shown_to_every_council(region, coordinator, client_for):
    budget = region.draft_budget()
    budget.open_round(by=coordinator)
    url = reverse("cycle_reaction", args=[budget.pk])
    assert (
        client_for(region.griffiers["Haarlem"]).post(url, {"reaction": "x", "reaction_on": "2026-06-01"}).status_code
        == 403
    )
    response = client_for(region.board_secretary).post(
        url, {"reaction": "Het bestuur beperkt de stijging.", "reaction_on": "2026-05-28"}
    )
    assert response.status_code == 302
    track = budget.proposal.council_tracks.get(municipality__name="Heemstede")
    page = client_for(region.griffiers["Heemstede"]).get(reverse("council_track_edit", args=[track.pk]))
    assert "Het bestuur beperkt de stijging." in page.content.decode()


def test_a_file_of_a_document_is_checked_by_its_content(region, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    budget = region.draft_budget()
    url = reverse("cycle_file_upload", args=[budget.pk])
    fake = SimpleUploadedFile("begroting.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client_for(region.board_secretary).post(url, {"title": "Begroting", "file": fake})
    assert response.status_code == 400 and budget.files.count() == 0
    real = SimpleUploadedFile("begroting.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    response = client_for(region.board_secretary).post(url, {"title": "Begroting", "file": real})
    assert response.status_code == 302 and budget.files.get().sha256


def test_before_the_period_ends_the_griffier_of_a_council_that_has_not_spoken_is_reminded(region, coordinator):
    from django.utils import timezone

    today = timezone.localdate()
    budget = region.draft_budget(
        sent_on=today - datetime.timedelta(weeks=2), board=today + datetime.timedelta(weeks=11)
    )
    proposal = budget.open_round(by=coordinator)
    due = Reminder.objects.get(kind=Reminder.Kind.OPINION_DUE, recipient__user=region.griffiers["Haarlem"])
    assert due.due_at.date() == budget.opinion_end - datetime.timedelta(days=7)  # the council deadline's lead
    assert due.status == Reminder.Status.PENDING
    haarlem = proposal.council_tracks.get(municipality__name="Haarlem")
    haarlem.keep(lock_version=haarlem.lock_version, sent_to_council_on=today - datetime.timedelta(days=13))
    haarlem.keep(lock_version=haarlem.lock_version, outcome="no_opinion", outcome_date=today)
    assert not Reminder.objects.filter(
        kind=Reminder.Kind.OPINION_DUE, recipient__user=region.griffiers["Haarlem"], status=Reminder.Status.PENDING
    ).exists()  # set aside once the council has spoken
    assert Reminder.objects.filter(
        kind=Reminder.Kind.OPINION_DUE, recipient__user=region.griffiers["Heemstede"], status=Reminder.Status.PENDING
    ).exists()
