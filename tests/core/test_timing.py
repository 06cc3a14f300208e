import logging

import pytest

from tests.factories import PersonFactory


@pytest.fixture
def logged_in(client, db):
    person = PersonFactory(with_login=True)
    client.force_login(person.user)
    return client


def test_with_server_timing_the_response_tells_its_time_and_query_count(logged_in, settings):
    settings.SERVER_TIMING = True

    response = logged_in.get("/")

    assert response.status_code == 200
    count = int(response["X-Query-Count"])
    assert count > 0
    app, db = response["Server-Timing"].split(", ")
    assert app.startswith("app;dur=")
    assert db.startswith(f'db;desc="{count} queries";dur=')
    assert float(app.split("=")[1]) >= float(db.rsplit("=", 1)[1])


def test_without_server_timing_no_headers(logged_in, settings):
    settings.SERVER_TIMING = False

    response = logged_in.get("/")

    assert "Server-Timing" not in response
    assert "X-Query-Count" not in response


def test_a_slow_request_is_logged_with_its_query_count_but_not_its_query_string(logged_in, settings, caplog):
    settings.SLOW_REQUEST_MS = 0
    settings.SERVER_TIMING = True

    with caplog.at_level(logging.WARNING, logger="core.timing"):
        response = logged_in.get("/", {"zoek": "jan.jansen@example.nl"})

    [record] = [r for r in caplog.records if r.name == "core.timing"]
    message = record.getMessage()
    assert record.levelno == logging.WARNING
    assert message.startswith("slow request: GET / status=200 ms=")
    assert f"queries={response['X-Query-Count']}" in message
    assert "jansen" not in message


def test_a_fast_request_is_not_logged(logged_in, settings, caplog):
    settings.SLOW_REQUEST_MS = 60_000

    with caplog.at_level(logging.WARNING, logger="core.timing"):
        logged_in.get("/")

    assert not [r for r in caplog.records if r.name == "core.timing"]


def test_the_count_is_the_number_of_queries_the_request_ran(client, settings, django_assert_num_queries, db):
    """The login page for an anonymous visitor runs no query; the count says so rather than guessing."""
    settings.SERVER_TIMING = True
    client.get("/inloggen/")  # the organisations offered there are read once, then cached

    with django_assert_num_queries(0):
        response = client.get("/inloggen/")

    assert response["X-Query-Count"] == "0"
    assert 'db;desc="0 queries"' in response["Server-Timing"]
