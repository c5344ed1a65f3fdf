"""Impact litigation, must show 2: a possible declarant's contact reaches the team only
after their recorded consent — the exact words, their language, by text reply (the ask
goes through the outbox, the reply through notifications.routing) or in person."""

import pytest
from django.test import Client
from django.urls import reverse

from committees.access import load_viewer
from legal_aid import services
from legal_aid.models import Declarant, DeclarantConsent, Evidence
from members.audit import AuditEvent
from notifications.backends import locmem
from notifications.models import Message

from ..factories import PersonFactory, grant_consent, make_incident, make_matter, make_member
from ..notifications.conftest import inbound_params, signed_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def legal_member(legal_member):
    """The conftest's lawyer, reading the app in English (Spanish is checked elsewhere)."""
    legal_member.person.user.language = "en"
    legal_member.person.user.save(update_fields=["language"])
    return legal_member


@pytest.fixture
def witness(committee):
    observer = make_member(committee, name="Xóchitl Testigo", language="es")
    return observer


@pytest.fixture
def setup(open_committee, legal_member, witness, viewer_of):
    matter = make_matter(open_committee, team=[legal_member], public_name="Warrantless entries")
    incident = make_incident(open_committee, observer=witness)
    actor = viewer_of(legal_member)
    evidence = services.evidence_propose(
        actor=actor,
        matter=matter,
        source_kind="incident",
        source_id=incident.pk,
        conduct="warrantless_entry",
    )
    declarant = services.declarant_propose(
        actor=actor, matter=matter, evidence=evidence, person_id=witness.person.pk
    )
    return matter, declarant, actor


def phone_forms(person):
    national = str(person.phone)[2:]
    return [str(person.phone), f"({national[:3]}) {national[3:6]}-{national[6:]}"]


def test_before_consent_the_team_sees_consent_pending_not_the_phone(
    client_for, legal_member, witness, setup
):
    matter, declarant, actor = setup
    client = client_for(legal_member, language="en")
    for url in (
        reverse("legal_aid:matter", args=[matter.pk]),
        reverse("legal_aid:declarant", args=[declarant.pk]),
    ):
        html = client.get(url).content.decode()
        assert "Consent pending" in html
        assert not any(p in html for p in phone_forms(witness.person)), url
        assert witness.person.email not in html and "Testigo" not in html

    services.declarant_consent_record(actor=actor, declarant=declarant, granted=True, language="es")
    answer = DeclarantConsent.objects.get()
    assert (answer.granted, answer.method, answer.language) == (True, "in_person", "es")
    assert answer.recorded_by == legal_member.person
    assert "abogados" in answer.wording and "Warrantless" not in answer.wording
    html = client.get(reverse("legal_aid:matter", args=[matter.pk])).content.decode()
    assert "Xóchitl Testigo" in html and "Consent pending" not in html
    assert any(p in html for p in phone_forms(witness.person))
    viewed = AuditEvent.objects.get(kind="legal_aid.declarant_viewed")
    assert (viewed.actor, viewed.person) == (legal_member.person, witness.person)


def text_in(person, body, capture):
    with capture(execute=True):
        return signed_post(
            Client(), "/sms/inbound/", inbound_params(from_number=str(person.phone), body=body)
        )


def test_sms_ask_goes_through_the_outbox_and_the_reply_records_the_words_sent(
    witness, setup, django_capture_on_commit_callbacks
):
    _matter, declarant, actor = setup
    grant_consent(witness.person, channels=("sms",))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.declarant_consent_ask(actor=actor, declarant=declarant) is True
    message = Message.objects.get(person=witness.person, template="legal_aid_declarant_ask")
    (sms,) = [s for s in locmem.outbox if s.to == str(witness.person.phone)]
    assert "abogados" in sms.body and "Responda 1" in sms.body
    assert Declarant.objects.get().consent_state == "asked"
    assert message.language == "es"

    reply = text_in(witness.person, "1", django_capture_on_commit_callbacks)
    assert reply.status_code == 200
    answer = DeclarantConsent.objects.get()
    assert (answer.granted, answer.method, answer.language) == (True, "sms", "es")
    assert answer.wording == sms.body and answer.recorded_by is None
    assert Declarant.objects.get().consent_state == "granted"
    thanks = [s.body for s in locmem.outbox if s.to == str(witness.person.phone)][-1]
    assert "Gracias" in thanks


def test_a_no_by_text_keeps_the_contact_hidden(
    client_for, legal_member, witness, setup, django_capture_on_commit_callbacks
):
    matter, declarant, actor = setup
    grant_consent(witness.person, channels=("sms",))
    with django_capture_on_commit_callbacks(execute=True):
        services.declarant_consent_ask(actor=actor, declarant=declarant)
    text_in(witness.person, "2", django_capture_on_commit_callbacks)
    assert Declarant.objects.get().consent_state == "declined"
    html = client_for(legal_member, language="en").get(
        reverse("legal_aid:matter", args=[matter.pk])
    )
    assert "Declined" in html.content.decode()
    assert not any(p in html.content.decode() for p in phone_forms(witness.person))


def test_without_consent_to_texts_nothing_is_sent_and_the_team_is_told_to_ask_in_person(
    client_for, legal_member, witness, setup, django_capture_on_commit_callbacks
):
    _matter, declarant, _actor = setup
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(legal_member, language="en").post(
            reverse("legal_aid:declarant_ask", args=[declarant.pk]), follow=True
        )
    assert "Ask them in person" in response.content.decode()
    assert locmem.outbox == []
    assert Message.objects.get(person=witness.person).status == "skipped"
    assert Declarant.objects.get().consent_state == "pending"


def test_only_people_who_were_there_can_be_proposed(open_committee, setup):
    matter, _declarant, actor = setup
    stranger = PersonFactory(committee=open_committee)
    with pytest.raises(Exception, match="people who were there"):
        services.declarant_propose(
            actor=actor,
            matter=matter,
            evidence=Evidence.objects.get(),
            person_id=stranger.pk,
        )


def test_a_team_member_of_another_matter_cannot_ask(committee, other_legal_member, setup):
    _matter, declarant, _actor = setup
    other = load_viewer(other_legal_member.person.user)
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied, whatever its wrapper
        services.declarant_consent_ask(actor=other, declarant=declarant)
