"""Limits that protect: a bound on every text a person types, on what one request may carry, on long file
names, and on how often a person searches the management lists."""

import datetime
import importlib
import inspect

import pytest
import time_machine
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from decisions.models import ProposalDocument, RegionalProposal
from governance.models import Membership
from meetings.models import Document, DocumentVersion, Meeting, MinutesComment, Submission
from tests.decisions.conftest import Covenant
from tests.meetings.conftest import Region, add_items, pdf_file

pytestmark = pytest.mark.django_db

APPS = ["municipalities", "governance", "meetings", "decisions", "reminders"]


def django_nl(message: str, **values) -> str:
    with translation.override("nl"):
        return gettext(message) % values


def too_long(limit: int, length: int) -> str:
    """Django's own message for a text past its bound, as a Dutch reader sees it."""
    with translation.override("nl"):
        return translation.ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            limit,
        ) % {"limit_value": limit, "show_value": length}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def client_for(client_for):
    """A client logged in with a second factor given, as the coordinator must (accounts/second_factor.py)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def make(user):
        client = client_for(user)
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return make


# Every text a person types has a bound.


def test_every_text_field_of_the_domain_models_has_a_bound():
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField | models.CharField) and not field.max_length
    ]
    assert unbounded == []


def form_classes():
    for label in APPS:
        try:
            module = importlib.import_module(f"{label}.forms")
        except ModuleNotFoundError:
            continue
        for name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                yield f"{label}.forms.{name}", value


def test_every_text_field_of_the_forms_has_a_bound():
    classes = dict(form_classes())
    assert "decisions.forms.ProposalForm" in classes and "meetings.forms.ErratumForm" in classes
    unbounded = [
        f"{path}.{name}"
        for path, form_class in classes.items()
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.CharField) and not field.max_length
    ]
    assert unbounded == []


def test_a_textarea_tells_the_browser_its_bound():
    from decisions.forms import ProposalForm
    from governance.models import ConsultationBody

    html = str(ProposalForm(bodies=ConsultationBody.objects.none())["introduction"])
    assert 'maxlength="20000"' in html


def proposal_data(covenant: Covenant, **fields) -> dict:
    return {
        "title": "Regionale woonagenda",
        "body": covenant.body.pk,
        "cooperation": covenant.cooperation.pk,
        "key_message": "De gemeenten werken samen aan betaalbare woningen.",
        "decision_points": "In te stemmen met de regionale woonagenda",
        "agenda_item": covenant.held_item().pk,
        **fields,
    }


def test_a_two_million_character_text_in_a_proposal_is_refused_and_kept_in_the_form(coordinator, client_for):
    covenant = Covenant()
    text = ("Een zeer lange inleiding. " * 76_924).strip()  # 2,000,023 characters
    response = client_for(coordinator).post(reverse("proposal_create"), proposal_data(covenant, introduction=text))
    assert response.status_code == 200
    page = response.content.decode()
    assert too_long(20_000, len(text)) in page
    assert "Zorg dat deze waarde niet meer dan 20000 tekens bevat" in page
    # What was typed comes back in the form, so nothing is lost; the person shortens it there.
    assert text in page
    assert not RegionalProposal.objects.exists()


def test_a_proposal_at_its_bounds_is_saved(coordinator, client_for):
    covenant = Covenant()
    data = proposal_data(
        covenant,
        key_message="k" * 5_000,
        decision_points="p" * 10_000,
        **dict.fromkeys(RegionalProposal.SECTIONS, "s" * 20000),
    )
    assert client_for(coordinator).post(reverse("proposal_create"), data).status_code == 302
    assert len(RegionalProposal.objects.get().arguments) == 20_000


def project_leader(region: Region):
    from municipalities.models import Office
    from tests.factories import OfficeFactory, PersonFactory

    person = PersonFactory(with_login=True)
    OfficeFactory(person=person, role=Office.Role.PROJECT_LEADER, municipality=region.haarlem)
    return person.user


def test_a_too_long_explanation_of_a_submission_is_refused_and_kept(client_for):
    from meetings.models import Purpose

    region = Region()
    text = ("Toelichting met details. " * 401).strip()  # 10,024 characters
    data = {
        "kind": "proposal",
        "title": "Regionale woonagenda",
        "explanation": text,
        "municipality": region.haarlem.pk,
        "purpose": Purpose.CONSENT,
    }
    response = client_for(project_leader(region)).post(reverse("submission_create"), data)
    page = response.content.decode()
    assert too_long(10_000, len(text)) in page
    assert text in page
    assert not Submission.objects.exists()


def test_a_text_without_a_form_is_checked_by_the_step_that_stores_it():
    from django.core.exceptions import ValidationError

    from meetings.models import Addendum, MinutesItem

    region = Region()
    secretary = region.seat(region.secretaries)
    meeting = Meeting.for_body(region.secretaries, timezone.now() + datetime.timedelta(days=21))
    meeting.save()
    item = add_items(meeting, secretary, 1)[0]
    meeting.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        meeting.cancel(by=secretary, reason="r" * 2_001)
    assert "cancellation_reason" in refused.value.error_dict
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED
    from meetings.models import Minutes

    minutes = Minutes.objects.create(meeting=meeting)
    minutes_item = MinutesItem.objects.create(minutes=minutes, agenda_item=item)
    with pytest.raises(ValidationError) as refused:
        minutes_item.write(version=0, discussion="d" * 50_001, conclusions="")
    assert too_long(50_000, 50_001) in refused.value.message_dict["discussion"]
    minutes_item.refresh_from_db()
    assert minutes_item.discussion == "" and minutes_item.version == 0
    with pytest.raises(ValidationError):
        MinutesComment.objects.create(minutes=minutes, author=secretary, text="c" * 5_001)
    assert not MinutesComment.objects.exists() and not Addendum.objects.exists()


# What one request may carry: past a limit a plain Dutch page with 400, never a 500, nothing saved.


def assert_not_accepted(response):
    assert response.status_code == 400
    with translation.override("nl"):
        assert gettext("Not accepted") in response.content.decode()
        assert gettext("Back to your start page") in response.content.decode()


def test_a_body_past_the_data_limit_gets_the_plain_400_page(coordinator, client_for, settings):
    covenant = Covenant()
    text = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client_for(coordinator).post(reverse("proposal_create"), proposal_data(covenant, introduction=text))
    assert_not_accepted(response)
    assert not RegionalProposal.objects.exists()


def test_a_urlencoded_body_past_the_data_limit_gets_the_plain_400_page(coordinator, client_for, settings):
    Covenant()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = client_for(coordinator).post(
        reverse("proposal_create"), "introduction=" + "x" * 2_000, content_type="application/x-www-form-urlencoded"
    )
    assert_not_accepted(response)


def test_too_many_fields_get_the_plain_400_page(coordinator, client_for, settings):
    covenant = Covenant()
    data = proposal_data(covenant) | {f"extra{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    assert_not_accepted(client_for(coordinator).post(reverse("proposal_create"), data))
    assert not RegionalProposal.objects.exists()


@pytest.fixture
def submitter():
    region = Region()
    return region, project_leader(region)


def submission_data(region, **extra):
    from meetings.models import Purpose

    return {
        "kind": "proposal",
        "title": "Regionale woonagenda",
        "explanation": "Graag bespreken.",
        "municipality": region.haarlem.pk,
        "purpose": Purpose.CONSENT,
        **extra,
    }


def test_too_many_files_get_the_plain_400_page(submitter, client_for, settings):
    region, user = submitter
    files = [pdf_file(f"bijlage-{n}.pdf") for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
    response = client_for(user).post(reverse("submission_create"), submission_data(region, documents=files))
    assert_not_accepted(response)
    assert not Submission.objects.exists() and not Document.objects.exists()


def test_as_many_files_as_allowed_are_accepted(submitter, client_for, settings):
    region, user = submitter
    files = [pdf_file(f"bijlage-{n}.pdf") for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES)]
    response = client_for(user).post(reverse("submission_create"), submission_data(region, documents=files))
    assert response.status_code == 302
    assert Document.objects.count() == settings.DATA_UPLOAD_MAX_NUMBER_FILES


def test_a_request_past_the_total_limit_is_refused_before_it_is_read(submitter, client_for, settings):
    region, user = submitter
    settings.MAX_REQUEST_MEGABYTES = 1
    response = client_for(user).post(
        reverse("submission_create"), submission_data(region, documents=[pdf_file(size=1_100_000)])
    )
    assert_not_accepted(response)
    assert not Submission.objects.exists()


# File names past what the portal keeps (200 characters): shortened, keeping the extension, never a 500.

NAMES = {
    "200": "n" * 196 + ".pdf",
    "201": "n" * 197 + ".pdf",
    "250": "Raadsinformatiebrief " + "w" * 225 + ".pdf",
    "1000": "a" * 996 + ".PDF",
    "unicode": "Financiën – ‘zienswijze’ 📄 " + "é" * 230 + ".pdf",
    "slashes": "map/submap/" + "s" * 230 + ".pdf",
    "backslashes": "C:\\Users\\griffie\\" + "b" * 230 + ".pdf",
}


def expected_name(name: str) -> str:
    # Django keeps the last part of a path, and at most 255 characters of it.
    base = name.rsplit("/")[-1].rsplit("\\")[-1]
    if len(base) > 255:
        base = base[: 255 - 4] + base[-4:]
    return base


def assert_kept(original_name: str, name: str) -> None:
    base = expected_name(name)
    if len(base) <= 200:
        assert original_name == base
    else:
        assert len(original_name) == 200
        assert original_name.startswith(base[:150]) and original_name.endswith("…" + base[-4:])


@pytest.fixture
def agenda_item():
    region = Region()
    secretary = region.seat(region.secretaries, role=Membership.Role.SECRETARY)
    meeting = Meeting.for_body(region.secretaries, timezone.now() + datetime.timedelta(days=21))
    meeting.save()
    return add_items(meeting, secretary, 1)[0], secretary


@pytest.mark.parametrize("kind", list(NAMES))
def test_a_long_or_odd_file_name_is_kept_short_through_the_document_upload(agenda_item, client_for, kind):
    item, secretary = agenda_item
    client = client_for(secretary)
    name = NAMES[kind]
    response = client.post(reverse("document_upload", args=[item.pk]), {"title": "", "file": pdf_file(name)})
    assert response.status_code == 302
    version = DocumentVersion.objects.get()
    assert_kept(version.original_name, name)
    assert version.document.title == version.original_name
    assert version.file.name.startswith("documents/") and version.file.name.endswith(".pdf")
    assert len(version.file.name) <= 200
    # And as a new version of the same document.
    response = client.post(reverse("document_replace", args=[version.document_id]), {"file": pdf_file(name)})
    assert response.status_code == 302
    newer = DocumentVersion.objects.get(number=2)
    assert_kept(newer.original_name, name)
    download = client.get(reverse("document_download", args=[newer.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("kind", ["201", "250", "1000", "unicode"])
def test_a_long_file_name_is_kept_short_through_the_proposal_document_upload(coordinator, client_for, kind):
    covenant = Covenant()
    proposal = covenant.proposal()
    name = NAMES[kind]
    response = client_for(coordinator).post(
        reverse("proposal_document_upload", args=[proposal.pk]), {"title": "", "file": pdf_file(name)}
    )
    assert response.status_code == 302
    document = ProposalDocument.objects.get()
    assert_kept(document.original_name, name)
    assert document.title == document.original_name


def test_a_long_file_name_is_kept_short_through_a_submission(submitter, client_for):
    region, user = submitter
    name = NAMES["250"]
    response = client_for(user).post(reverse("submission_create"), submission_data(region, documents=[pdf_file(name)]))
    assert response.status_code == 302
    assert_kept(DocumentVersion.objects.get().original_name, name)


def test_a_long_name_with_the_wrong_content_is_still_refused_with_its_message(agenda_item, client_for):
    item, secretary = agenda_item
    fake = SimpleUploadedFile("r" * 240 + ".pdf", b"MZ\x90\x00" + b"\x00" * 200)
    response = client_for(secretary).post(reverse("document_upload", args=[item.pk]), {"title": "", "file": fake})
    assert response.status_code == 400
    with translation.override("nl"):
        assert (
            gettext("The content of %(name)s does not match its name: it is not a %(type)s file.").split("%")[0]
            in response.content.decode()
        )
    assert not Document.objects.exists()


# Searching the management lists: 30 a minute per person; browsing the lists is not limited.

NOW = timezone.now()


def frozen(seconds_later: int = 0):
    """The clock stands still, so that every request of a test falls in the same minute of the limit."""
    return time_machine.travel(NOW + datetime.timedelta(seconds=seconds_later), tick=False)


@pytest.mark.parametrize(
    "path", ["/beheer/municipalities/person/", "/beheer/meetings/agendaitem/", "/beheer/decisions/regionalproposal/"]
)
def test_the_31st_search_in_a_minute_is_answered_429(coordinator, client_for, path):
    client = client_for(coordinator)
    with frozen():
        for n in range(30):
            assert client.get(path, {"q": f"jan{n}"}).status_code == 200
        response = client.get(path, {"q": "jan"})
        assert response.status_code == 429
        assert response["Retry-After"] == "60"
        with translation.override("nl"):
            assert gettext("Too many attempts") in response.content.decode()
        # Browsing without a search goes on.
        for _ in range(5):
            assert client.get(path).status_code == 200
    # A minute later the person searches again.
    with frozen(seconds_later=61):
        assert client.get(path, {"q": "jan"}).status_code == 200


def test_the_searches_are_counted_per_person(coordinator, client_for):
    from municipalities.models import Office
    from tests.factories import OfficeFactory, PersonFactory

    other = PersonFactory(with_login=True)
    OfficeFactory(person=other.user.person, role=Office.Role.REGIONAL_COORDINATOR, coordinator=True)
    path = "/beheer/municipalities/person/"
    with frozen():
        first = client_for(coordinator)
        for _ in range(31):
            first.get(path, {"q": "jan"})
        assert first.get(path, {"q": "jan"}).status_code == 429
        assert client_for(other.user).get(path, {"q": "jan"}).status_code == 200


def test_browsing_the_lists_without_a_search_is_not_limited(coordinator, client_for):
    client = client_for(coordinator)
    with frozen():
        for _ in range(40):
            assert client.get("/beheer/municipalities/person/", {"q": " "}).status_code == 200


def test_the_suggestions_of_a_select_have_their_own_higher_limit(coordinator, client_for):
    client = client_for(coordinator)
    url = reverse("admin:autocomplete")
    query = {"app_label": "decisions", "model_name": "regionalproposal", "field_name": "body"}
    with frozen():
        for n in range(120):
            assert client.get(url, query | {"term": f"o{n}"}).status_code == 200
        assert client.get(url, query | {"term": "o"}).status_code == 429
