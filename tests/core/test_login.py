import pytest
from django.urls import reverse

from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


def log_in(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_log_in_and_out(client):
    user = UserFactory(username="anna")
    response = log_in(client, "anna", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).wsgi_request.user == user
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_gets_a_dutch_message(client):
    UserFactory(username="anna")
    response = log_in(client, "anna", "verkeerd")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Voer een juiste gebruikersnaam en wachtwoord in." in page
    assert 'value="anna"' in page  # what was typed stays


def test_five_failed_log_ins_lock_the_account_even_for_the_right_password(client, settings):
    UserFactory(username="anna")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "anna", "verkeerd").status_code == 200
    locked = log_in(client, "anna", "verkeerd")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Account tijdelijk geblokkeerd" in page
    assert "30 minuten" in page
    assert log_in(client, "anna", PASSWORD).status_code == 429
    assert client.get(reverse("home")).status_code == 302  # not logged in


def test_a_lock_out_of_one_user_leaves_others_alone(client, settings):
    UserFactory(username="anna")
    UserFactory(username="bram")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "anna", "verkeerd")
    assert log_in(client, "bram", PASSWORD).status_code == 302


def test_log_in_page_is_dutch_with_labels_and_a_skip_link(client):
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="nl"' in page
    assert '<a class="utrecht-skip-link utrecht-skip-link--visible-on-focus" href="#main">' in page
    assert '<label class="utrecht-form-label" for="id_username">Gebruikersnaam' in page
    assert '<label class="utrecht-form-label" for="id_password">Wachtwoord' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_language_switch_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en"' in page and ">Log in</h1>" in page
    assert 'lang="nl"' in page and ">Nederlands</button>" in page
    client.post(reverse("set_language"), {"language": "nl", "next": reverse("login")})
    assert ">Inloggen</h1>" in client.get(reverse("login")).content.decode()


def test_anonymous_home_redirects_to_log_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_a_log_in_without_a_person_is_told_so(client_for):
    page = client_for(UserFactory()).get(reverse("home")).content.decode()
    assert "Uw account is nog niet gekoppeld aan een persoon in de regio." in page


def test_person_fixture_has_a_login():
    assert PersonFactory(with_login=True).user.check_password(PASSWORD)
