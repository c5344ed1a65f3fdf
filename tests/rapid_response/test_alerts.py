"""Alerting a zone: only from a confirmed incident, only to vetted, trained responders of
the zone who agreed to raid alerts, on the urgent queue, in their languages."""

import pytest
from django.core.exceptions import ValidationError

from committees.roles import MembershipStatus, Role
from members.consent import Purpose
from notifications.models import Message, NumberFlag, Status, Urgency
from notifications.services import number_opt_out
from rapid_response import services
from rapid_response.models import AlertNotice, AlertRecipient, IncidentStatus

from ..factories import ZoneFactory, make_responder
from .conftest import sent_to
from .helpers import confirmed_incident, reported

pytestmark = pytest.mark.django_db


@pytest.fixture
def diego(dispatcher, viewer_of):
    return viewer_of(dispatcher)


def test_unverified_or_probable_incident_is_never_alerted(open_committee, zone3, diego):
    responder = make_responder(open_committee, [zone3])
    incident = reported(open_committee, zone3).incident
    reported(open_committee, zone3, source_hash="other-source")
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.PROBABLE
    with pytest.raises(ValidationError):
        services.alert_send(actor=diego, incident=incident)
    assert not Message.objects.filter(person=responder).exists()
    assert sent_to(responder) == []


def test_alert_reaches_only_vetted_trained_consenting_responders_of_the_zone(
    open_committee, zone3, diego, django_capture_on_commit_callbacks
):
    other_zone = ZoneFactory(committee=open_committee, name="Zone 9")
    ready = make_responder(open_committee, [zone3], name="Ready")
    observer = make_responder(open_committee, [zone3], trained="legal_observer", name="Observer")
    probationary = make_responder(
        open_committee, [zone3], status=MembershipStatus.PROBATIONARY, name="Newcomer"
    )
    untrained = make_responder(open_committee, [zone3], trained=None, name="Untrained")
    kyr_only = make_responder(open_committee, [zone3], trained="know_your_rights", name="KYR")
    no_consent = make_responder(open_committee, [zone3], consent=False, name="NoConsent")
    not_responder = make_responder(open_committee, [zone3], roles=(Role.MEMBER,), name="Member")
    elsewhere = make_responder(open_committee, [other_zone], name="Elsewhere")
    opted_out = make_responder(open_committee, [zone3], name="OptedOut")
    number_opt_out(
        committee=open_committee,
        phone_hash=opted_out.phone_hash,
        source=NumberFlag.Source.KEYWORD,
        reason="STOP",
        language="es",
    )
    incident = confirmed_incident(open_committee, zone3, diego)
    draft = services.alert_draft(incident=incident)
    assert draft.count == 2
    with django_capture_on_commit_callbacks(execute=True):
        alert = services.alert_send(actor=diego, incident=incident)
    assert alert.recipient_count == 2
    assert set(AlertRecipient.objects.values_list("person_id", flat=True)) == {
        ready.pk,
        observer.pk,
    }
    for person in (ready, observer):
        assert len(sent_to(person)) == 1
    for person in (probationary, untrained, kyr_only, no_consent, not_responder, elsewhere):
        assert sent_to(person) == []
        assert not Message.objects.filter(person=person).exists()
    assert sent_to(opted_out) == []


def test_alert_goes_on_the_urgent_queue_through_quiet_hours(
    night_committee, zone3, diego, django_capture_on_commit_callbacks
):
    responder = make_responder(night_committee, [zone3])
    incident = confirmed_incident(night_committee, zone3, diego)
    with django_capture_on_commit_callbacks(execute=True):
        alert = services.alert_send(actor=diego, incident=incident)
    message = Message.objects.get(person=responder, template="rapid_response_alert")
    assert message.urgency == Urgency.URGENT
    assert message.not_before is None
    assert message.expires_at is not None and message.expires_at <= alert.expires_at
    assert message.status in (Status.SENT, Status.DELIVERED)
    assert len(sent_to(responder)) == 1


def test_alert_is_in_each_responders_language_without_names_or_address(
    open_committee, zone3, diego, django_capture_on_commit_callbacks
):
    spanish = make_responder(open_committee, [zone3], language="es", name="Rosa")
    english = make_responder(open_committee, [zone3], language="en", name="Tom")
    incident = confirmed_incident(open_committee, zone3, diego, where="4th St and Soto")
    with django_capture_on_commit_callbacks(execute=True):
        services.alert_send(actor=diego, incident=incident, where="4th St and Soto")
    [es_text] = sent_to(spanish)
    [en_text] = sent_to(english)
    assert "ALERTA" in es_text and "SÍ" in es_text
    assert "RAID ALERT" in en_text and "YES" in en_text
    for text in (es_text, en_text):
        assert "4th St and Soto" in text and "Zone 3" in text
        assert "Rosa" not in text and "Tom" not in text


def test_second_alert_while_one_is_active_is_refused(open_committee, zone3, diego):
    make_responder(open_committee, [zone3])
    incident = confirmed_incident(open_committee, zone3, diego)
    services.alert_send(actor=diego, incident=incident)
    with pytest.raises(ValidationError):
        services.alert_send(actor=diego, incident=incident)


def test_neighbouring_zone_is_alerted_only_when_chosen(open_committee, zone3, diego):
    next_door = ZoneFactory(committee=open_committee, name="Zone 4")
    neighbour = make_responder(open_committee, [next_door])
    incident = confirmed_incident(open_committee, zone3, diego)
    assert services.alert_draft(incident=incident).count == 0
    assert services.alert_draft(incident=incident, zone_ids=[next_door.pk]).count == 1
    alert = services.alert_send(actor=diego, incident=incident, zone_ids=[next_door.pk])
    assert alert.recipients.get().person == neighbour


def test_all_clear_reaches_exactly_the_people_the_alert_reached(
    open_committee, zone3, diego, django_capture_on_commit_callbacks
):
    first = make_responder(open_committee, [zone3], name="First")
    second = make_responder(open_committee, [zone3], name="Second")
    incident = confirmed_incident(open_committee, zone3, diego)
    with django_capture_on_commit_callbacks(execute=True):
        alert = services.alert_send(actor=diego, incident=incident)
    late = make_responder(open_committee, [zone3], name="Joined later")
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.alert_notice_send(
            actor=diego, alert=alert, kind=AlertNotice.Kind.ALL_CLEAR
        )
    assert notice.recipient_count == 2
    for person in (first, second):
        assert len(sent_to(person)) == 2
        assert any("CLEAR" in body or "despejado" in body.lower() for body in sent_to(person))
    assert sent_to(late) == []
    alert.refresh_from_db()
    assert alert.all_clear_at is not None
    with pytest.raises(ValidationError):
        services.alert_notice_send(
            actor=diego, alert=alert, kind=AlertNotice.Kind.UPDATE, text_en="x"
        )


def test_responder_cannot_send_an_alert(open_committee, zone3, diego, vetted_member, viewer_of):
    incident = confirmed_incident(open_committee, zone3, diego)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.alert_send(actor=viewer_of(vetted_member), incident=incident)
    assert Purpose.RAID_ALERTS  # the purpose every alert is sent under
