import datetime

import pytest
from django.utils import timezone

from governance.models import Membership
from meetings.models import Meeting, Purpose
from tests.meetings.conftest import Region


@pytest.fixture
def region(db) -> Region:
    return Region()


@pytest.fixture
def body_secretary(region):
    """The secretary of the secretaries' meeting: prepares its agenda, sees its confidential items."""
    return region.seat(region.secretaries, Membership.Role.SECRETARY)


@pytest.fixture
def member(region):
    return region.seat(region.secretaries, Membership.Role.MEMBER)


@pytest.fixture
def advisory_member(region):
    return region.seat(region.secretaries, Membership.Role.ADVISORY_MEMBER)


@pytest.fixture
def meeting(region) -> Meeting:
    meeting = Meeting.for_body(region.secretaries, timezone.now() + datetime.timedelta(days=21))
    meeting.save()
    return meeting


def add_item(meeting: Meeting, by, title: str, **fields):
    return meeting.add_item(version=None, by=by, title=title, purpose=Purpose.DISCUSSION, **fields)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
