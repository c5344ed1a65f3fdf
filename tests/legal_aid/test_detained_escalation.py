"""Must show 6: an accompanier reports "detained" from their phone (one tap, or as the
court-watch result) and the case's team and emergency contact are alerted at once on
the urgent queue; the real-worker test measures it through Redis and a worker."""

import time

import pytest
from django.db import transaction
from django.urls import reverse

from legal_aid.models import Accompaniment, Case
from notifications.models import Message, Status, Urgency
from notifications.services import message_queue

from ..factories import make_accompanier, make_case, make_hearing, make_member
from ..notifications.conftest import consenting_person
from ..workers import Worker, publishing_to, wait_for


def _world(committee):
    lawyer = make_accompanier(committee, language="en", name="Lara", trained=False)
    from committees.models import MembershipRole

    MembershipRole.objects.create(membership=lawyer, role="legal")
    family = consenting_person(committee, language="es", preferred_name="Lucía")
    client = consenting_person(committee, language="es", preferred_name="Rosa")
    case = make_case(committee, team=[lawyer], person=client, contact=family)
    hearing = make_hearing(case, kind="check_in", place="ICE ERO Los Angeles")
    volunteer = make_accompanier(committee, name="Alma")
    accompaniment = Accompaniment.objects.create(
        hearing=hearing, person=volunteer.person, status="accepted"
    )
    return lawyer, family, client, case, volunteer, accompaniment


@pytest.mark.django_db
def test_one_tap_detained_alerts_team_and_family_once_on_the_urgent_queue(
    open_committee, client_for, django_capture_on_commit_callbacks
):
    lawyer, family, client, case, volunteer, accompaniment = _world(open_committee)
    url = reverse("legal_aid:detained", args=[accompaniment.pk])
    page = client_for(volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        assert page.post(url).status_code == 302
        assert page.post(url).status_code == 302  # a second tap alerts nobody twice
    alerts = Message.objects.filter(template="legal_aid_detained")
    assert sorted(alerts.values_list("person_id", flat=True)) == sorted(
        [lawyer.person.pk, family.pk]
    )
    assert set(alerts.values_list("urgency", flat=True)) == {Urgency.URGENT}
    assert not alerts.filter(person=client).exists()
    case.refresh_from_db()
    assert case.urgency == "detained"
    assert accompaniment.hearing.__class__.objects.get().outcome == "detained"


@pytest.mark.django_db
def test_someone_else_cannot_report_for_the_accompanier(open_committee, client_for):
    *_, accompaniment = _world(open_committee)
    stranger = make_member(open_committee, name="Someone")
    response = client_for(stranger).post(reverse("legal_aid:detained", args=[accompaniment.pk]))
    assert response.status_code == 404
    assert not Message.objects.filter(template="legal_aid_detained").exists()
    assert Case.objects.get().urgency != "detained"


@pytest.mark.django_db(transaction=True)
def test_detained_report_reaches_the_team_within_a_second_through_a_real_worker(
    open_committee, client_for, redis_server, twilio_for_workers, tmp_path
):
    lawyer, family, client, case, volunteer, accompaniment = _world(open_committee)
    page = client_for(volunteer)
    worker = Worker(
        name="urgent",
        queues="urgent",
        redis_server=redis_server,
        fake_twilio=twilio_for_workers,
        log_dir=tmp_path,
        concurrency=1,
    )
    try:
        with publishing_to(redis_server.url(0)):
            worker.start()
            # Warm the test process (URL resolver, templates) and the worker (its database
            # connection, the SMS templates), as a running server and worker are.
            assert page.get(reverse("legal_aid:card", args=[accompaniment.pk])).status_code == 200
            with transaction.atomic():
                message_queue(
                    person=client,
                    purpose="reminders",
                    template="check",
                    idempotency_key="warm-up",
                    urgency=Urgency.URGENT,
                )
            wait_for(lambda: twilio_for_workers.first_accepted_at(str(client.phone)), timeout=10)
            tapped = time.monotonic()
            page.post(reverse("legal_aid:detained", args=[accompaniment.pk]))
            reported = time.monotonic()  # the report is committed when the page answers
            phone = str(lawyer.person.phone)
            wait_for(lambda: twilio_for_workers.first_accepted_at(phone), timeout=5, interval=0.01)
            latency = twilio_for_workers.first_accepted_at(phone) - reported
            page_time = reported - tapped
            wait_for(
                lambda: Message.objects.filter(
                    template="legal_aid_detained", person=lawyer.person, status=Status.SENT
                ).exists(),
                timeout=5,
            )
    finally:
        worker.stop()
    assert latency < 1.0, f"the alert took {latency:.2f}s after the report ({page_time:.2f}s page)"


@pytest.mark.django_db
def test_detenido_by_sms_after_the_two_hour_reminder_alerts_the_team(
    open_committee, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone
    from freezegun import freeze_time

    from legal_aid import services
    from notifications.backends import locmem

    from ..notifications.conftest import inbound_params, signed_post

    lawyer, family, client, case, volunteer, accompaniment = _world(open_committee)
    hearing = accompaniment.hearing
    with freeze_time(hearing.starts_at - timedelta(minutes=110)):
        with django_capture_on_commit_callbacks(execute=True):
            services.reminders_send()
        [reminder] = [s.body for s in locmem.outbox if s.to == str(volunteer.person.phone)]
        assert "DETENIDO" in reminder
    with freeze_time(hearing.starts_at + timedelta(minutes=20)):
        with django_capture_on_commit_callbacks(execute=True):
            response = signed_post(
                Client(),
                "/sms/inbound/",
                inbound_params(from_number=str(volunteer.person.phone), body="Detenido"),
            )
    assert response.status_code == 200
    alert = Message.objects.get(template="legal_aid_detained", person=lawyer.person)
    assert alert.urgency == Urgency.URGENT
    assert timezone.now() and Case.objects.get().urgency == "detained"
