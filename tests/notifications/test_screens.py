"""The coordinator's message screens: compose, confirm, progress, replies, opt-outs, history."""

import pytest
from auditlog.models import LogEntry
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.access import load_viewer
from committees.roles import Role
from members.consent import Consent, Purpose
from notifications import services
from notifications.models import Broadcast, InboundMessage, Message, NumberFlag, Status

from ..factories import make_member
from ..helpers import assert_constant_queries
from .conftest import bulk_consenting_people, consenting_person

COMPOSE = {
    "channel": "sms",
    "purpose": Purpose.REMINDERS,
    "status": "",
    "role": "",
    "language": "",
    "text_en": "Training on Saturday at 10am, Casa del Pueblo.",
    "text_es": "Taller el sábado a las 10, Casa del Pueblo.",
}


@pytest.fixture
def coordinator(open_committee):
    return make_member(open_committee, roles=[Role.COORDINATOR], name="Ana")


@pytest.fixture
def as_coordinator(coordinator, client_for):
    return client_for(coordinator)


def draft(coordinator, **fields):
    values = {
        "channel": "sms",
        "purpose": Purpose.REMINDERS,
        "text_en": "Meeting at 6.",
        "text_es": "Reunión a las 6.",
        "recipient_filter": {"status": ""},
        **fields,
    }
    return services.broadcast_draft(actor=load_viewer(coordinator.person.user), **values)


# --- Compose, confirm, send ---------------------------------------------------------------


def test_preview_counts_only_people_who_can_receive_it_and_measures_each_text(
    open_committee, as_coordinator
):
    bulk_consenting_people(open_committee, 6)  # 3 English, 3 Spanish, agreed to reminders
    bulk_consenting_people(open_committee, 4, purposes=[Purpose.NEWS], first=100)
    opted_out = bulk_consenting_people(open_committee, 1, first=200)[0]
    NumberFlag.objects.create(
        committee=open_committee,
        phone_hash=opted_out.phone_hash,
        kind="opted_out",
        source="keyword",
    )
    response = as_coordinator.post(
        reverse("notifications:compose_preview"), COMPOSE, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "6 of the 12 people in this group will receive it." in page
    assert "<html" not in page  # a fragment for htmx
    # "sábado" has á, outside GSM-7: UCS-2, and the coordinator is told which character.
    assert "UCS-2" in page and "á" in page.split("GSM-7 alphabet:")[1][:20]
    assert "GSM-7: 1 segment per person" in page  # the English text


def test_compose_asks_for_the_text_in_every_language_the_group_reads(
    open_committee, as_coordinator
):
    bulk_consenting_people(open_committee, 4)
    response = as_coordinator.post(reverse("notifications:compose"), {**COMPOSE, "text_es": ""})
    assert response.status_code == 400
    assert "2 recipients read Spanish: write this text too." in response.content.decode()
    assert not Broadcast.objects.exists()


def test_compose_refuses_a_group_no_one_can_receive(open_committee, as_coordinator):
    bulk_consenting_people(open_committee, 3, purposes=[Purpose.NEWS])
    response = as_coordinator.post(reverse("notifications:compose"), COMPOSE)
    assert response.status_code == 400
    assert "No one in this group can receive it" in response.content.decode()


def test_compose_confirm_send_then_progress(
    open_committee, as_coordinator, django_capture_on_commit_callbacks
):
    people = bulk_consenting_people(open_committee, 8)
    response = as_coordinator.post(reverse("notifications:compose"), COMPOSE)
    broadcast = Broadcast.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:broadcast_detail", args=[broadcast.pk])
    assert not Message.objects.exists()  # nothing leaves before the confirmation

    confirm = as_coordinator.get(response["Location"]).content.decode()
    assert "Send to 8 people" in confirm

    send = reverse("notifications:broadcast_send", args=[broadcast.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert as_coordinator.post(send).status_code == 302
        as_coordinator.post(send)  # a double click
    messages = Message.objects.filter(broadcast=broadcast)
    assert messages.count() == 8
    assert set(messages.values_list("status", flat=True)) == {Status.SENT}
    assert {m.idempotency_key for m in messages} == {
        f"broadcast:{broadcast.pk}:{p.pk}" for p in people
    }
    spanish = messages.filter(language="es").first()
    assert "Taller el sábado" in spanish.body and "BAJA" in spanish.body

    progress = as_coordinator.get(response["Location"]).content.decode()
    assert "8 of 8 finished · 8 sent or delivered" in progress
    assert "hx-trigger" not in progress  # finished: the page stops polling


def test_progress_updates_live_while_messages_are_going_out(
    open_committee, coordinator, as_coordinator
):
    bulk_consenting_people(open_committee, 5)
    broadcast = draft(coordinator)
    with transaction.atomic():  # queued, the workers have not run yet
        services.broadcast_send(actor=load_viewer(coordinator.person.user), broadcast=broadcast)
    url = reverse("notifications:broadcast_progress", args=[broadcast.pk])
    fragment = as_coordinator.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in fragment and "0 of 5 finished" in fragment
    first = Message.objects.filter(broadcast=broadcast).first()
    services.message_deliver(message_id=first.pk)
    fragment = as_coordinator.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "1 of 5 finished · 1 sent or delivered" in fragment


def test_cancel_stops_what_has_not_left(open_committee, coordinator, as_coordinator):
    bulk_consenting_people(open_committee, 4)
    broadcast = draft(coordinator)
    with transaction.atomic():
        services.broadcast_send(actor=load_viewer(coordinator.person.user), broadcast=broadcast)
    services.message_deliver(message_id=Message.objects.first().pk)
    as_coordinator.post(reverse("notifications:broadcast_cancel", args=[broadcast.pk]))
    statuses = list(Message.objects.values_list("status", flat=True).order_by("status"))
    assert statuses == [Status.CANCELLED] * 3 + [Status.SENT]
    for message in Message.objects.filter(status=Status.CANCELLED):
        assert services.message_deliver(message_id=message.pk) == "not-claimed"


def test_sending_a_group_message_takes_the_same_statements_for_ten_or_a_hundred(
    open_committee, coordinator
):
    viewer = load_viewer(coordinator.person.user)

    def statements(count, first):
        bulk_consenting_people(open_committee, count, first=first)
        broadcast = draft(coordinator, recipient_filter={"status": "", "role": ""})
        Message.objects.all().delete()
        with CaptureQueriesContext(connection) as captured, transaction.atomic():
            assert services.broadcast_send(actor=viewer, broadcast=broadcast) == recipients()
        inserts = [q for q in captured.captured_queries if q["sql"].startswith("INSERT")]
        others = len(captured.captured_queries) - len(inserts)
        return len(inserts), others

    def recipients():
        return Consent.objects.filter(purpose=Purpose.REMINDERS, granted=True).count()

    few_inserts, few_others = statements(10, 0)
    many_inserts, many_others = statements(90, 1000)
    assert few_others == many_others
    assert few_inserts == many_inserts == 1  # one INSERT … SELECT, whatever the group size


# --- Replies, opt-outs, history -------------------------------------------------------------


def test_unmatched_reply_is_shown_and_can_be_marked_handled(open_committee, as_coordinator):
    person = consenting_person(open_committee)
    inbound = services.inbound_receive(
        provider_id="SM1", from_number=str(person.phone), to_number="+12135550100", body="¿Hora?"
    )
    page = as_coordinator.get(reverse("notifications:inbox")).content.decode()
    assert "¿Hora?" in page and person.preferred_name in page
    as_coordinator.post(reverse("notifications:inbound_resolve", args=[inbound.pk]))
    inbound.refresh_from_db()
    assert inbound.resolved_at is not None and inbound.resolved_by.person.preferred_name == "Ana"
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
    assert responder.get(url).status_code in (403, 404)
    accesses = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(person.pk))
    assert accesses.count() == 2
    assert person.preferred_name not in accesses.first().object_repr


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


def test_group_message_goes_to_the_people_the_directory_filter_picks(
    open_committee, coordinator, as_coordinator
):
    """The composer uses the people directory's own filter: here, one zone."""
    from committees.models import Zone
    from notifications.selectors import compose_recipients

    zone = Zone.objects.create(committee=open_committee, name="Zona 3")
    in_zone = consenting_person(open_committee, language="es")
    in_zone.zones.add(zone)
    consenting_person(open_committee, language="es")  # not in the zone
    page = as_coordinator.get(reverse("notifications:compose") + f"?zone={zone.pk}")
    assert page.status_code == 200
    assert page.context["form"].recipient_filter == {"zone": str(zone.pk)}
    response = as_coordinator.post(
        reverse("notifications:compose"), {**COMPOSE, "zone": str(zone.pk), "action": "continue"}
    )
    assert response.status_code == 302
    broadcast = Broadcast.objects.get()
    assert broadcast.recipient_filter == {"zone": str(zone.pk)}
    viewer = load_viewer(coordinator.person.user)
    assert list(compose_recipients(viewer=viewer, params=broadcast.recipient_filter)) == [in_zone]


def test_group_message_rows_carry_each_persons_own_number_text_and_key(open_committee, coordinator):
    from lib.crypto import lookup_hash
    from members.models import Person

    bulk_consenting_people(open_committee, 6)
    silent = make_member(open_committee, name="Sin permiso")  # no consent: no row
    services.number_opt_out(
        committee=open_committee,
        phone_hash=Person.objects.get(preferred_name="Vecino 2").phone_hash,
        source=NumberFlag.Source.KEYWORD,
        reason="STOP",
        language="es",
    )
    broadcast = draft(coordinator, text_en="Meeting at 6.", text_es="Reunión a las 6.")
    with transaction.atomic():
        sent = services.broadcast_send(
            actor=load_viewer(coordinator.person.user), broadcast=broadcast
        )
    rows = {m.person_id: m for m in Message.objects.filter(broadcast=broadcast)}
    assert sent == len(rows) == 5
    assert silent.person.pk not in rows
    for person in Person.objects.filter(pk__in=rows):
        message = Message.objects.get(pk=rows[person.pk].pk)  # decrypted from the database
        assert message.to_address == str(person.phone)
        assert message.to_hash == lookup_hash(str(person.phone)) == person.phone_hash
        mine, other = (
            ("Reunión a las 6.", "Meeting")
            if person.language == "es"
            else ("Meeting at 6.", "Reunión")
        )
        assert mine in message.body and other not in message.body
        assert message.language == person.language
        assert message.idempotency_key == f"broadcast:{broadcast.pk}:{person.pk}"
        assert (message.status, message.urgency, message.kind) == ("queued", "bulk", "standard")
        assert message.enqueued_at is not None and message.attempts == 0
    raw = connection.cursor()
    raw.execute("SELECT to_address, body FROM notifications_message")
    for to_address, body in raw.fetchall():  # encrypted at rest
        assert "+1310555" not in to_address and "Meeting" not in body and "Reunión" not in body


def test_group_message_sent_just_before_quiet_hours_end_waits_for_them(
    committee, monkeypatch, django_capture_on_commit_callbacks
):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from freezegun import freeze_time

    from notifications import tasks

    coordinator = make_member(committee, roles=[Role.COORDINATOR], name="Ana")
    bulk_consenting_people(committee, 3)  # the committee keeps its 21:00-08:00 quiet hours
    handed = []
    monkeypatch.setattr(
        tasks.deliver, "apply_async", lambda **kwargs: handed.append(kwargs["countdown"])
    )
    broadcast = draft(coordinator)
    la = ZoneInfo("America/Los_Angeles")
    with freeze_time(datetime(2026, 11, 24, 7, 57, tzinfo=la)):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            services.broadcast_send(actor=load_viewer(coordinator.person.user), broadcast=broadcast)
        # Handed over now (the quiet hours end within minutes), each due at 08:00.
        assert len(handed) == 3
        assert all(170 <= countdown <= 180 for countdown in handed)
    assert set(Message.objects.values_list("not_before", flat=True)) == {
        datetime(2026, 11, 24, 8, 0, tzinfo=la)
    }
