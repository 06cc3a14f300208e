import datetime

import pytest
from django.test import Client

from municipalities.models import Office
from tests.factories import OfficeFactory, PersonFactory, UserFactory

# Role fixtures: a log-in per role, each a person holding a current office.


def _login_with_office(role: str, **office_fields):
    person = PersonFactory(with_login=True)
    OfficeFactory(person=person, role=role, **office_fields)
    return person.user


@pytest.fixture
def coordinator(db):
    return _login_with_office(Office.Role.REGIONAL_COORDINATOR, coordinator=True)


@pytest.fixture
def secretary(db):
    return _login_with_office(Office.Role.MUNICIPAL_SECRETARY)


@pytest.fixture
def mayor(db):
    return _login_with_office(Office.Role.MAYOR)


@pytest.fixture
def alderman(db):
    return _login_with_office(Office.Role.ALDERMAN)


@pytest.fixture
def griffier(db):
    return _login_with_office(Office.Role.GRIFFIER)


@pytest.fixture
def council_member(db):
    return _login_with_office(Office.Role.COUNCIL_MEMBER)


@pytest.fixture
def former_coordinator(db):
    return _login_with_office(Office.Role.REGIONAL_COORDINATOR, coordinator=True, ends_on=datetime.date(2020, 12, 31))


@pytest.fixture
def outsider(db):
    return UserFactory()


@pytest.fixture
def client_for():
    """A test client logged in as the given user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Tests log in dozens of people; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
