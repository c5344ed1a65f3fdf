"""Point 5: a group message's recipient filter that no longer means what it meant is
refused, never widened. Point 2 (part): a searched phone or email is not kept in clear."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from committees.access import load_viewer
from committees.models import Zone
from committees.roles import Role
from members.consent import Purpose
from notifications import services
from notifications.models import Broadcast, Message

from ..factories import ZoneFactory, make_member
from .conftest import consenting_person


@pytest.fixture
def coordinator(open_committee):
    return make_member(open_committee, roles=[Role.COORDINATOR], name="Ana")


def _draft(coordinator, recipient_filter):
    return services.broadcast_draft(
        actor=load_viewer(coordinator.person.user),
        channel="sms",
        purpose=Purpose.REMINDERS,
        text_en="Meeting at 6.",
        text_es="Reunión a las 6.",
        recipient_filter=recipient_filter,
    )


@pytest.fixture
def two_zones_of_people(open_committee):
    zone = Zone.objects.create(committee=open_committee, name="Zona 3")
    in_zone = consenting_person(open_committee)
    in_zone.zones.add(zone)
    for _n in range(3):
        consenting_person(open_committee)
    return zone


def _send(coordinator, broadcast):
    return services.broadcast_send(actor=load_viewer(coordinator.person.user), broadcast=broadcast)


def test_draft_for_a_deleted_zone_is_refused_instead_of_going_to_everyone(
    coordinator, two_zones_of_people
):
    broadcast = _draft(coordinator, {"zone": str(two_zones_of_people.pk)})
    two_zones_of_people.delete()
    with pytest.raises(ValidationError, match="no longer means"):
        _send(coordinator, broadcast)
    assert Message.objects.count() == 0


def test_another_committees_zone_in_the_filter_is_refused_not_ignored(
    coordinator, two_zones_of_people, other_committee
):
    foreign = ZoneFactory(committee=other_committee)
    broadcast = _draft(coordinator, {"zone": str(foreign.pk)})
    with pytest.raises(ValidationError):
        _send(coordinator, broadcast)
    assert Message.objects.count() == 0


@pytest.mark.parametrize("recipient_filter", [{"role": "pope"}, {"colour": "red"}])
def test_unknown_role_or_filter_name_is_an_error_not_everyone(
    coordinator, two_zones_of_people, recipient_filter
):
    broadcast = _draft(coordinator, recipient_filter)
    with pytest.raises(ValidationError):
        _send(coordinator, broadcast)
    assert Message.objects.count() == 0


def test_confirm_page_and_send_button_say_the_group_is_gone(
    coordinator, two_zones_of_people, client_for
):
    broadcast = _draft(coordinator, {"zone": str(two_zones_of_people.pk)})
    two_zones_of_people.delete()
    client = client_for(coordinator)
    page = client.get(reverse("notifications:broadcast_detail", args=[broadcast.pk]))
    assert page.status_code == 200
    assert "no longer means" in page.content.decode()
    client.post(reverse("notifications:broadcast_send", args=[broadcast.pk]))
    assert Message.objects.count() == 0


def test_composing_for_another_committees_zone_is_refused(
    coordinator, two_zones_of_people, other_committee, client_for
):
    foreign = ZoneFactory(committee=other_committee)
    response = client_for(coordinator).post(
        reverse("notifications:compose"),
        {
            "channel": "sms",
            "purpose": Purpose.REMINDERS,
            "zone": str(foreign.pk),
            "text_en": "x",
            "text_es": "y",
            "action": "continue",
        },
    )
    assert response.status_code == 400
    assert not Broadcast.objects.exists()


def test_searched_phone_in_a_group_message_is_not_stored_in_clear(coordinator, open_committee):
    target = consenting_person(open_committee, contact__phone="+12135550199")
    broadcast = _draft(coordinator, {"q": "+12135550199"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM notifications_broadcast WHERE id = %s", [broadcast.pk])
        raw = repr(cursor.fetchall())
    assert "5550199" not in raw
    assert _send(coordinator, Broadcast.objects.get(pk=broadcast.pk)) == 1
    assert Message.objects.get().person == target
