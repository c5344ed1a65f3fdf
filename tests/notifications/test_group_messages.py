"""Group messages from the coordinator's screens: compose, confirm, send, progress, cancel;
who receives them and what each row carries."""

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.access import load_viewer
from committees.roles import Role
from members.consent import Consent, Purpose
from notifications import services
from notifications.models import Broadcast, Message, NumberFlag, Status

from ..factories import make_member
from .conftest import COMPOSE, bulk_consenting_people, consenting_person, draft

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
        assert as_coordinator.post(send, {"confirm": "yes"}).status_code == 302
        as_coordinator.post(send, {"confirm": "yes"})  # a double click
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


def test_a_group_message_has_no_default_purpose(open_committee, as_coordinator):
    page = as_coordinator.get(reverse("notifications:compose")).content.decode()
    assert 'value="reminders" selected' not in page
    data = {**COMPOSE, "purpose": ""}
    response = as_coordinator.post(reverse("notifications:compose"), data)
    assert response.status_code == 400
    assert "Choose what the message is about." in response.content.decode()
    assert not Broadcast.objects.exists()
