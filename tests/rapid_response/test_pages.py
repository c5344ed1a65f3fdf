"""The remaining rapid-response pages and plug points: roster, settings, reports page,
dashboard panel, menu, demo data, erasure, and the coalition's incident link picker."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from committees import menu
from rapid_response import selectors, services
from rapid_response.models import (
    AlertRecipient,
    DispatcherShift,
    DispatchSettings,
    Incident,
    IncidentStatus,
)

from ..factories import make_member, make_responder
from .helpers import confirmed_incident, reported

pytestmark = pytest.mark.django_db


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_dispatcher_puts_themself_on_call_but_not_someone_else(
    open_committee, dispatcher, client_for
):
    other = make_member(open_committee, roles=["dispatcher"], name="Other")
    now = timezone.now()
    client = client_for(dispatcher)
    response = client.post(
        reverse("rapid_response:shifts"),
        {
            "person": dispatcher.person.pk,
            "starts_at": local(now),
            "ends_at": local(now + timedelta(hours=4)),
            "languages": ["es", "en"],
        },
    )
    assert response.status_code == 302
    assert list(services.on_call(open_committee)) == [dispatcher.person]
    refused = client.post(
        reverse("rapid_response:shifts"),
        {
            "person": other.person.pk,
            "starts_at": local(now),
            "ends_at": local(now + timedelta(hours=4)),
        },
    )
    assert refused.status_code == 400
    assert DispatcherShift.objects.count() == 1


def test_shift_that_ends_before_it_starts_is_refused(open_committee, coordinator, client_for):
    now = timezone.now()
    response = client_for(coordinator).post(
        reverse("rapid_response:shifts"),
        {
            "person": coordinator.person.pk,
            "starts_at": local(now + timedelta(hours=3)),
            "ends_at": local(now + timedelta(hours=1)),
        },
    )
    assert response.status_code == 400
    assert "end after it starts" in response.content.decode()


def test_coordinator_sets_alert_expiry_and_retention(open_committee, coordinator, client_for):
    response = client_for(coordinator).post(
        reverse("rapid_response:settings"),
        {"alert_expiry_minutes": 45, "retention_days": 14, "claim_stale_minutes": 5},
    )
    assert response.status_code == 302
    row = DispatchSettings.objects.get(committee=open_committee)
    assert (row.alert_expiry_minutes, row.retention_days) == (45, 14)


def test_dispatcher_may_not_change_settings(open_committee, dispatcher, client_for):
    response = client_for(dispatcher).get(reverse("rapid_response:settings"))
    assert response.status_code in (403, 404)


def test_alert_expires_after_the_committees_setting(open_committee, zone3, dispatcher, viewer_of):
    DispatchSettings.objects.create(committee=open_committee, alert_expiry_minutes=20)
    make_responder(open_committee, [zone3])
    incident = confirmed_incident(open_committee, zone3, viewer_of(dispatcher))
    alert = services.alert_send(actor=viewer_of(dispatcher), incident=incident)
    assert timedelta(minutes=19) < alert.expires_at - alert.sent_at <= timedelta(minutes=20)
    from rapid_response.models import Alert

    Alert.objects.filter(pk=alert.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    alert.refresh_from_db()
    assert not alert.is_active


def test_reports_page_shows_counts_and_times_without_people(
    open_committee, zone3, dispatcher, viewer_of, client_for
):
    make_responder(open_committee, [zone3], name="Rosalinda")
    incident = confirmed_incident(open_committee, zone3, viewer_of(dispatcher))
    Incident.objects.filter(pk=incident.pk).update(
        verified_at=incident.opened_at + timedelta(minutes=8)
    )
    false = reported(open_committee, zone3, where="Elsewhere").incident
    Incident.objects.filter(pk=false.pk).update(
        status=IncidentStatus.FALSE_ALARM, last_report_at=timezone.now() - timedelta(hours=2)
    )
    page = client_for(dispatcher).get(reverse("rapid_response:reports")).content.decode()
    assert "<svg" in page and "Zone 3" in page and "<td>8</td>" in page
    assert "Rosalinda" not in page and "Diego" not in page.split("<main")[1]


def test_dashboard_panel_and_menu_entry_for_dispatchers_only(
    open_committee, zone3, dispatcher, vetted_member, client_for
):
    reported(open_committee, zone3)
    page = client_for(dispatcher).get(reverse("dashboard")).content.decode()
    assert "1 open incident" in page and reverse("rapid_response:inbox") in page
    entry = menu.ENTRIES["rapid_response:inbox"]
    assert entry.order == 15
    responder_page = client_for(vetted_member).get(reverse("dashboard"))
    assert reverse("rapid_response:inbox") not in responder_page.content.decode()


def test_incident_links_for_the_coalition_carry_no_people(open_committee, zone3, dispatcher):
    report = reported(open_committee, zone3, callback_phone="+12135550111")
    [(incident_id, label)] = selectors.incidents_for_link(committee=open_committee)
    assert incident_id == report.incident_id
    assert "Zone 3" in label and "Unverified" in label and "555" not in label
    assert selectors.incident_label(incident_id=incident_id, committee=open_committee) == label
    assert (
        selectors.incidents_for_link(
            committee=open_committee, since=timezone.now() + timedelta(hours=1)
        )
        == []
    )


def test_incident_label_of_another_committee_is_none(open_committee, other_committee, zone3):
    incident = reported(open_committee, zone3).incident
    assert selectors.incident_label(incident_id=incident.pk, committee=other_committee) is None


def test_erasing_a_responder_removes_their_answers_and_shifts(
    open_committee, zone3, dispatcher, coordinator, viewer_of
):
    from members.services import person_erase

    rosa = make_responder(open_committee, [zone3], name="Rosa")
    incident = confirmed_incident(open_committee, zone3, viewer_of(dispatcher))
    services.alert_send(actor=viewer_of(dispatcher), incident=incident)
    person_erase(actor=viewer_of(coordinator), person=rosa)
    assert not AlertRecipient.objects.filter(person=rosa).exists()


def test_demo_seed_has_an_incident_in_every_state_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", quiet_logins=True, stdout=open("/dev/null", "w"))
    statuses = set(Incident.objects.values_list("status", flat=True))
    assert statuses == set(IncidentStatus.values)
    counts = Incident.objects.count(), AlertRecipient.objects.count()
    assert AlertRecipient.objects.filter(response="yes").exists()
    call_command("seed_demo", quiet_logins=True, stdout=open("/dev/null", "w"))
    assert (Incident.objects.count(), AlertRecipient.objects.count()) == counts
    from notifications.models import Message

    assert not Message.objects.exists()
