"""The coordinator's message screens: replies, opt-outs, history, and their query counts."""

from django.db import transaction
from django.urls import reverse

from committees.roles import Role
from members.audit import AuditEvent
from members.consent import Purpose
from notifications import services
from notifications.models import Broadcast, InboundMessage, Message, Status

from ..factories import make_member
from ..helpers import assert_constant_queries
from .conftest import COMPOSE, bulk_consenting_people, consenting_person, draft

# --- Replies, opt-outs, history -------------------------------------------------------------


def test_unmatched_reply_is_shown_and_can_be_marked_handled(
    open_committee, coordinator, as_coordinator
):
    person = consenting_person(open_committee)
    inbound = services.inbound_receive(
        provider_id="SM1", from_number=str(person.phone), to_number="+12135550100", body="¿Hora?"
    )
    page = as_coordinator.get(reverse("notifications:inbox")).content.decode()
    assert "¿Hora?" in page and person.preferred_name in page
    as_coordinator.post(reverse("notifications:inbound_resolve", args=[inbound.pk]))
    inbound.refresh_from_db()
    assert inbound.resolved_at is not None and inbound.resolved_by == coordinator
    assert "¿Hora?" not in as_coordinator.get(reverse("notifications:inbox")).content.decode()
    assert (
        "¿Hora?"
        in as_coordinator.get(reverse("notifications:inbox") + "?show=all").content.decode()
    )


def test_opt_out_list_names_the_people_behind_the_numbers(open_committee, as_coordinator):
    person = consenting_person(open_committee)
    services.inbound_receive(
        provider_id="SM2", from_number=str(person.phone), to_number="+12135550100", body="Baja"
    )
    page = as_coordinator.get(reverse("notifications:number_flags")).content.decode()
    assert person.preferred_name in page and "BAJA" in page


def test_history_shows_texts_to_coordinators_and_only_statuses_to_other_staff(
    open_committee, as_coordinator, client_for
):
    person = consenting_person(open_committee)
    with transaction.atomic():
        services.message_queue(
            person=person, purpose=Purpose.REMINDERS, template="check", idempotency_key="h1"
        )
    url = reverse("notifications:person_history", args=[person.pk])
    page = as_coordinator.get(url).content.decode()
    assert "mensaje de prueba" in page and "Queued" in page

    legal = client_for(make_member(open_committee, roles=[Role.LEGAL], name="Beto"))
    page = legal.get(url).content.decode()
    assert "Queued" in page and "mensaje de prueba" not in page

    responder = client_for(make_member(open_committee, roles=[Role.RESPONDER]))
    # The role may not read histories at all: 403 (another committee's person is a 404).
    assert responder.get(url).status_code == 403
    views = AuditEvent.objects.filter(kind="notifications.history_viewed", person=person)
    assert views.count() == 2
    assert all(event.details == {} for event in views)


def test_message_list_shows_problems_with_their_reason(open_committee, as_coordinator):
    person = consenting_person(open_committee)
    with transaction.atomic():
        message = services.message_queue(
            person=person, purpose=Purpose.FUNDRAISING, template="check", idempotency_key="p1"
        )
    assert message.status == Status.SKIPPED
    Message.objects.filter(pk=message.pk).update(status=Status.FAILED)
    page = as_coordinator.get(reverse("notifications:message_list") + "?status=problems")
    assert "Has not agreed to this kind of message" in page.content.decode()


def test_dashboard_panel_counts_what_needs_a_person(open_committee, as_coordinator):
    person = consenting_person(open_committee)
    services.inbound_receive(
        provider_id="SM3", from_number=str(person.phone), to_number="+12135550100", body="?"
    )
    page = as_coordinator.get(reverse("dashboard")).content.decode()
    assert "1 reply waiting for a person" in page


def test_members_without_the_role_cannot_reach_the_screens(open_committee, client_for):
    responder = client_for(make_member(open_committee, roles=[Role.RESPONDER]))
    for name in ("compose", "message_list", "inbox", "number_flags", "broadcast_list"):
        assert responder.get(reverse(f"notifications:{name}")).status_code == 403


# --- Query counts ----------------------------------------------------------------------------


def test_every_message_page_makes_the_same_queries_with_many_rows(
    open_committee, coordinator, as_coordinator
):
    person = consenting_person(open_committee)
    broadcast = draft(coordinator)
    counter = iter(range(10**6))

    def add(n):
        first = 2000 + next(counter) * 300
        people = bulk_consenting_people(open_committee, n, first=first)
        with transaction.atomic():
            for someone in people:
                services.message_queue(
                    person=someone,
                    purpose=Purpose.REMINDERS,
                    template="check",
                    idempotency_key=f"q:{someone.pk}",
                )
                services.message_queue(
                    person=person,
                    purpose=Purpose.REMINDERS,
                    template="check",
                    idempotency_key=f"h:{someone.pk}",
                )
                inbound = services.inbound_receive(
                    provider_id=f"SMq{someone.pk}",
                    from_number=str(someone.phone),
                    to_number="+12135550100",
                    body="hola",
                )
                if someone.pk % 3 == 0:
                    services.inbound_receive(
                        provider_id=f"SMs{someone.pk}",
                        from_number=str(someone.phone),
                        to_number="+12135550100",
                        body="BAJA",
                    )
                assert inbound.outcome == InboundMessage.Outcome.UNMATCHED
            Message.objects.filter(person=person).update(broadcast=broadcast)
            draft(coordinator)

    pages = [
        reverse("notifications:message_list"),
        reverse("notifications:message_list") + "?status=problems",
        reverse("notifications:inbox"),
        reverse("notifications:inbox") + "?show=all",
        reverse("notifications:number_flags"),
        reverse("notifications:broadcast_list"),
        reverse("notifications:broadcast_detail", args=[broadcast.pk]),
        reverse("notifications:person_history", args=[person.pk]),
        reverse("notifications:compose"),
        reverse("dashboard"),
    ]
    for url in pages:
        assert_constant_queries(add, lambda url=url: as_coordinator.get(url), small=3, large=25)
    Broadcast.objects.filter(pk=broadcast.pk).update(state=Broadcast.State.QUEUED)
    for url in (
        reverse("notifications:broadcast_detail", args=[broadcast.pk]),
        reverse("notifications:broadcast_progress", args=[broadcast.pk]),
    ):
        assert_constant_queries(add, lambda url=url: as_coordinator.get(url), small=3, large=25)
    assert_constant_queries(
        add,
        lambda: as_coordinator.post(reverse("notifications:compose_preview"), COMPOSE),
        small=3,
        large=25,
    )
