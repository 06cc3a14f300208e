"""The read replica, with two database connections: `replica` is a second
connection to the test database of `default`, as a test mirror (what
`DATABASE_REPLICA_URL` configures). Each connection's queries are captured
separately, so a test sees which one a request read from and wrote to."""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.db import connections, transaction
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import path

from config.routers import ReplicaRouter, read_from_replica, replica_reads
from municipalities.models import Municipality
from tests.factories import MunicipalityFactory, PersonFactory

BOTH = ["default", "replica"]


@login_not_required
@read_from_replica
def rename(request, pk):
    """Reads on the replica, then saves what it read: the save goes to default."""
    municipality = Municipality.objects.get(pk=pk)
    municipality.website = "https://example.nl/" + request.method.lower()
    municipality.save(update_fields=["website"])
    return HttpResponse(municipality.name)


urlpatterns = [path("lezen/<int:pk>/", rename)]


@pytest.fixture(scope="module")
def replica(django_db_setup, django_db_blocker):
    """Adds the alias `replica` as a mirror of default's test database, unless the settings already have it."""
    if "replica" in connections.settings:
        yield
        return
    primary = connections["default"].settings_dict
    connections.settings["replica"] = {**primary, "TEST": {**primary["TEST"], "MIRROR": "default"}}
    yield
    with django_db_blocker.unblock():
        connections["replica"].close()
    del connections["replica"]
    del connections.settings["replica"]


@pytest.fixture
def without_replica():
    saved = connections.settings.pop("replica", None)
    yield
    if saved is not None:
        connections.settings["replica"] = saved


class Captured:
    """The queries of each connection while the block runs."""

    def __init__(self, *aliases):
        self.contexts = {alias: CaptureQueriesContext(connections[alias]) for alias in aliases}

    def __enter__(self):
        for context in self.contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc):
        for context in self.contexts.values():
            context.__exit__(*exc)

    def statements(self, alias: str, verb: str) -> list[str]:
        return [q["sql"] for q in self.contexts[alias].captured_queries if q["sql"].lstrip().upper().startswith(verb)]


@pytest.mark.urls(__name__)
@pytest.mark.usefixtures("replica")
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_view_marked_for_the_replica_reads_there_and_writes_to_default(client):
    municipality = MunicipalityFactory(name="Utrecht")

    with Captured(*BOTH) as captured:
        response = client.get(f"/lezen/{municipality.pk}/")

    assert response.content == b"Utrecht"
    assert captured.statements("replica", "SELECT")
    assert not captured.statements("replica", "UPDATE")
    assert captured.statements("default", "UPDATE")
    assert not captured.statements("default", "SELECT")
    municipality.refresh_from_db()
    assert municipality.website == "https://example.nl/get"


@pytest.mark.urls(__name__)
@pytest.mark.usefixtures("replica")
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_post_to_the_same_view_reads_from_default(client):
    municipality = MunicipalityFactory(name="Utrecht")

    with Captured(*BOTH) as captured:
        client.post(f"/lezen/{municipality.pk}/")

    assert captured.statements("default", "SELECT")
    assert captured.contexts["replica"].captured_queries == []


@pytest.mark.usefixtures("replica")
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_page_under_read_replica_paths_is_read_from_the_replica(client, settings):
    settings.READ_REPLICA_PATHS = ["/meldingen/"]
    person = PersonFactory(with_login=True)
    client.force_login(person.user)

    with Captured(*BOTH) as captured:
        elsewhere = client.get("/")
    assert elsewhere.status_code == 200
    assert captured.statements("default", "SELECT")
    assert captured.contexts["replica"].captured_queries == []

    with Captured(*BOTH) as captured:
        routed = client.get("/meldingen/")
    assert routed.status_code == 200
    # The page's reads, the session and the log-in included, come from the replica; only get_or_create
    # (django-solo's settings row) reads from default, where it would write.
    on_replica = captured.statements("replica", "SELECT")
    on_default = captured.statements("default", "SELECT")
    assert any('"django_session"' in sql for sql in on_replica)
    assert any('"auth_user"' in sql for sql in on_replica)
    assert all('"reminders_remindersettings"' in sql for sql in on_default)
    assert len(on_replica) > len(on_default)


@pytest.mark.usefixtures("replica")
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_read_inside_a_transaction_on_default_stays_on_default():
    municipality = MunicipalityFactory()
    with Captured(*BOTH) as captured, replica_reads():
        Municipality.objects.get(pk=municipality.pk)
        with transaction.atomic():
            Municipality.objects.get(pk=municipality.pk)
    assert len(captured.statements("replica", "SELECT")) == 1
    assert len(captured.statements("default", "SELECT")) == 1


@pytest.mark.urls(__name__)
@pytest.mark.usefixtures("without_replica")
@pytest.mark.django_db(transaction=True)
def test_without_a_replica_everything_goes_to_default(client):
    municipality = MunicipalityFactory(name="Utrecht")

    with Captured("default") as captured:
        response = client.get(f"/lezen/{municipality.pk}/")

    assert response.content == b"Utrecht"
    assert captured.statements("default", "SELECT")
    assert captured.statements("default", "UPDATE")
    assert "replica" not in connections.settings


def test_migrations_and_writes_go_only_to_default():
    router = ReplicaRouter()
    assert router.allow_migrate("default", "municipalities") is True
    assert router.allow_migrate("replica", "municipalities") is False
    assert router.db_for_write(Municipality) == "default"
