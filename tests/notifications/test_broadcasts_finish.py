"""Group messages finish: once every message has left, a broadcast is "Finished" (set by
the outbox sweep or when its page is read), and the list shows delivered / failed /
skipped counts, with a progress bar while it runs."""

import pytest
from django.urls import reverse

from committees.access import load_viewer
from committees.roles import Role
from members.consent import Purpose
from notifications import services
from notifications.models import Broadcast, Message, Status

from ..factories import make_member
from .conftest import bulk_consenting_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(open_committee):
    return make_member(open_committee, roles=[Role.COORDINATOR], name="Ana")


def send(coordinator, count, capture, execute):
    bulk_consenting_people(coordinator.committee, count)
    viewer = load_viewer(coordinator.person.user)
    broadcast = services.broadcast_draft(
        actor=viewer,
        channel="sms",
        purpose=Purpose.REMINDERS,
        text_en="Meeting at 6.",
        text_es="Reunión a las 6.",
        recipient_filter={},
    )
    with capture(execute=execute):
        services.broadcast_send(actor=viewer, broadcast=broadcast)
    return broadcast


def test_list_shows_progress_while_sending_then_a_final_state_with_counts(
    coordinator, client_for, django_capture_on_commit_callbacks
):
    broadcast = send(coordinator, 4, django_capture_on_commit_callbacks, execute=False)
    client = client_for(coordinator)
    page = client.get(reverse("notifications:broadcast_list")).content.decode()
    assert "Sending" in page and "<progress" in page and "0 of 4 finished" in page
    broadcast.refresh_from_db()
    assert broadcast.state == Broadcast.State.QUEUED

    messages = list(Message.objects.filter(broadcast=broadcast).order_by("id"))
    Message.objects.filter(pk=messages[0].pk).update(status=Status.FAILED)
    Message.objects.filter(pk=messages[1].pk).update(status=Status.SKIPPED)
    Message.objects.filter(pk__in=[m.pk for m in messages[2:]]).update(status=Status.DELIVERED)

    page = client.get(reverse("notifications:broadcast_list")).content.decode()
    broadcast.refresh_from_db()
    assert broadcast.state == Broadcast.State.FINISHED and broadcast.finished_at
    assert "Finished" in page and "Sending" not in page
    assert "2 sent or delivered · 1 failed · 1 skipped" in page
    detail = client.get(reverse("notifications:broadcast_detail", args=[broadcast.pk]))
    assert "Finished" in detail.content.decode()
    assert "hx-trigger" not in detail.content.decode()


def test_the_outbox_sweep_finishes_a_broadcast_whose_messages_all_left(
    coordinator, django_capture_on_commit_callbacks
):
    broadcast = send(coordinator, 3, django_capture_on_commit_callbacks, execute=True)
    assert not Message.objects.filter(broadcast=broadcast, status=Status.QUEUED).exists()
    broadcast.refresh_from_db()
    assert broadcast.state == Broadcast.State.QUEUED
    services.outbox_sweep()
    broadcast.refresh_from_db()
    assert broadcast.state == Broadcast.State.FINISHED


def test_a_broadcast_with_messages_on_their_way_is_not_finished(
    coordinator, django_capture_on_commit_callbacks
):
    broadcast = send(coordinator, 3, django_capture_on_commit_callbacks, execute=False)
    assert services.broadcasts_finish() == 0
    broadcast.refresh_from_db()
    assert broadcast.state == Broadcast.State.QUEUED


def test_broadcast_list_queries_do_not_grow(
    coordinator, client_for, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for _ in range(12):
        send(coordinator, 2, django_capture_on_commit_callbacks, execute=False)
    client = client_for(coordinator)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("notifications:broadcast_list")).status_code == 200
