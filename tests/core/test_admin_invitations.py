import re

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "lange-zin-van-een-wethouder-2027"


def invite_url(person) -> str:
    return reverse("admin:municipalities_person_invite", args=[person.pk])


def link_in(message) -> str:
    return re.search(r"https?://\S+/uitnodiging/\S+/", message.body).group(0)


def choose_password(client, link: str, password: str = NEW_PASSWORD):
    """Opens the link as the invited person does, then posts the password form."""
    path = link.split("://", 1)[1].partition("/")[2]
    opened = client.get("/" + path, follow=True)
    return opened, client.post(
        opened.redirect_chain[-1][0] if opened.redirect_chain else "/" + path,
        {"new_password1": password, "new_password2": password},
    )


def test_the_coordinator_invites_a_person_who_chooses_a_password_once(coordinator, client_for, client):
    person = factories.PersonFactory(given_name="Anna", surname="Berg", email="Anna.Berg@Haarlem.example")
    admin_client = client_for(coordinator)

    change_page = admin_client.get(reverse("admin:municipalities_person_change", args=[person.pk])).content.decode()
    assert invite_url(person) in change_page
    confirm = admin_client.get(invite_url(person)).content.decode()
    assert "anna.berg@haarlem.example" in confirm and 'type="password"' not in confirm

    response = admin_client.post(invite_url(person))
    assert response.status_code == 302
    person.refresh_from_db()
    user = person.user
    assert user.username == "anna.berg@haarlem.example"
    assert not user.has_usable_password()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Anna.Berg@Haarlem.example"]
    assert "anna.berg@haarlem.example" in message.body
    link = link_in(message)

    opened, saved = choose_password(client, link)
    assert opened.status_code == 200
    assert 'name="new_password1"' in opened.content.decode()
    assert saved.status_code == 302 and saved["Location"] == reverse("invitation_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    again, _ = choose_password(client_for(factories.UserFactory()), link, "een-ander-wachtwoord-99")
    page = again.content.decode()
    assert 'name="new_password1"' not in page and 'role="alert"' in page
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    logged_in = Client().post(reverse("login"), {"username": "anna.berg@haarlem.example", "password": NEW_PASSWORD})
    assert logged_in.status_code == 302


def test_who_invited_whom_is_in_the_admin_log(coordinator, client_for):
    person = factories.PersonFactory()
    client_for(coordinator).post(invite_url(person))
    person.refresh_from_db()
    added = LogEntry.objects.get(action_flag=ADDITION, object_id=str(person.user.pk))
    assert added.user == coordinator and added.content_type.model == "user"
    changed = LogEntry.objects.get(action_flag=CHANGE, object_id=str(person.pk))
    assert changed.user == coordinator and person.email in changed.get_change_message()


def test_the_invitation_is_written_in_the_persons_language(coordinator, client_for):
    dutch = factories.PersonFactory(language="nl")
    english = factories.PersonFactory(language="en")
    client = client_for(coordinator)
    client.post(invite_url(dutch))
    client.post(invite_url(english))
    with translation.override("nl"):
        dutch_subject = translation.gettext("Your log-in for the regional portal")
    assert mail.outbox[0].subject == dutch_subject
    assert mail.outbox[1].subject == "Your log-in for the regional portal"
    assert "Choose your password through this link:" in mail.outbox[1].body


def test_a_link_with_a_wrong_token_is_refused_plainly(client):
    user = factories.UserFactory()
    user.set_unusable_password()
    user.save()
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    for url in (f"/uitnodiging/{uid}/abc-123/", "/uitnodiging/bm9ub25l/abc-123/"):
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert 'role="alert"' in page and 'name="new_password1"' not in page


def test_a_person_with_a_password_gets_no_second_log_in(coordinator, client_for):
    person = factories.PersonFactory(with_login=True)
    client = client_for(coordinator)
    assert (
        invite_url(person)
        not in client.get(reverse("admin:municipalities_person_change", args=[person.pk])).content.decode()
    )
    response = client.post(invite_url(person))
    assert response.status_code == 200
    assert 'class="errornote"' in response.content.decode()
    assert mail.outbox == []
    assert User.objects.count() == 2  # the coordinator and this person


def test_an_existing_user_name_is_not_taken_over(coordinator, client_for):
    factories.UserFactory(username="anna@example.nl")
    person = factories.PersonFactory(email="anna@example.nl")
    response = client_for(coordinator).post(invite_url(person))
    assert response.status_code == 200 and 'class="errornote"' in response.content.decode()
    person.refresh_from_db()
    assert person.user is None and mail.outbox == []


def test_an_invitation_without_answer_can_be_sent_again(coordinator, client_for):
    person = factories.PersonFactory()
    client = client_for(coordinator)
    client.post(invite_url(person))
    client.post(invite_url(person))
    assert len(mail.outbox) == 2
    assert User.objects.filter(person=person).count() == 1


@pytest.mark.parametrize("role", ["secretary", "mayor", "griffier", "outsider"])
def test_others_may_not_invite(role, request, client_for):
    person = factories.PersonFactory()
    client = client_for(request.getfixturevalue(role))
    assert client.get(invite_url(person)).status_code == 403
    assert client.post(invite_url(person)).status_code == 403
    person.refresh_from_db()
    assert person.user is None and mail.outbox == []


def test_an_unknown_person_is_404(coordinator, client_for):
    assert client_for(coordinator).get("/beheer/municipalities/person/999999/uitnodigen/").status_code == 404


def test_the_coordinator_adds_log_ins_only_through_the_invitation(coordinator, client_for):
    client = client_for(coordinator)
    response = client.get(reverse("admin:auth_user_add"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:municipalities_person_changelist")
    assert client.post(reverse("admin:auth_user_add"), {"username": "x", "password1": "a"}).status_code == 302
    assert not User.objects.filter(username="x").exists()
    users = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert reverse("admin:auth_user_add") not in users


def test_a_superuser_still_has_the_user_form(client_for):
    admin_user = User.objects.create_superuser("beheerder", "beheer@example.nl", "x-wachtwoord-123")
    page = client_for(admin_user).get(reverse("admin:auth_user_add")).content.decode()
    assert 'name="password1"' in page


def test_no_invitation_for_a_management_account_another_address_or_a_too_long_address(coordinator, client_for):
    admin_client = client_for(coordinator)
    superuser = User.objects.create_superuser("beheerder", "beheer@regio.example")
    superuser.set_unusable_password()
    superuser.save()
    manager = factories.PersonFactory(email="beheer@regio.example", user=superuser)
    # The coordinator changed the e-mail of a person whose log-in was made for another address.
    moved = factories.PersonFactory(email="nieuw@haarlem.example", user=User.objects.create_user("oud@haarlem.example"))
    moved.user.set_unusable_password()
    moved.user.save()
    long = factories.PersonFactory(email="a" * 140 + "@haarlem.example")
    for person, message in (
        (manager, "is een beheeraccount"),
        (moved, "niet gemaakt met een uitnodiging aan dit e-mailadres"),
        (long, "te lang om als gebruikersnaam te dienen"),
    ):
        with translation.override("nl"):
            response = admin_client.post(invite_url(person), HTTP_ACCEPT_LANGUAGE="nl")
        assert response.status_code == 200, person
        assert message in response.content.decode()
    assert mail.outbox == []
    superuser.refresh_from_db()
    assert not superuser.has_usable_password()
    assert not User.objects.filter(username__startswith="aaaa").exists()
