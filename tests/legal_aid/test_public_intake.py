"""Must show 1: the public request form, in Spanish on a phone, lands in the triage
queue in urgency order; bad input gets clear messages and never a 500; an existing
record is never touched or given consent by someone who typed its phone number."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from legal_aid.models import LegalRequest
from lib.antibot import stamp
from members.consent import Consent
from members.models import Person

from ..factories import PersonFactory

pytestmark = pytest.mark.django_db


def url(committee):
    return reverse("legal_aid_public:intake", args=[committee.slug])


def form(**overrides):
    data = {
        "urgency": "hearing_soon",
        "help_kind": "accompaniment",
        "for_someone_else": "0",
        "name": "Rosa",
        "contact_name": "",
        "phone": "(213) 555-0177",
        "email": "",
        "contact_time": "evening",
        "language": "es",
        "may_text": "on",
        "website": "",
        "started": stamp(time.time() - 60),
    }
    data.update(overrides)
    return data


def spanish_phone():
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14; Pixel 7) Mobile")
    client.cookies["defensa_language"] = "es"
    return client


def test_spanish_request_lands_in_the_queue_in_urgency_order(committee, legal_member, client_for):
    client = spanish_phone()
    page = client.get(url(committee))
    assert page.status_code == 200
    assert "Pedir ayuda legal" in page.content.decode()
    html = page.content.decode()
    # Nothing it does not need: no free text at all, so no place for an immigration status.
    assert "<textarea" not in html and 'name="status"' not in html and "a_number" not in html

    general = client.post(url(committee), form(urgency="general", name="Tomás"))
    assert general.status_code == 200
    detained = client.post(
        url(committee),
        form(
            urgency="detained",
            for_someone_else="1",
            name="Esteban",
            contact_name="Lucía",
            phone="(213) 555-0178",
        ),
    )
    assert detained.status_code == 200
    assert "Gracias" in detained.content.decode()

    request = LegalRequest.objects.get(urgency="detained")
    assert request.person.preferred_name == "Esteban"
    assert request.contact.preferred_name == "Lucía"
    assert request.source == "public" and request.language == "es"
    assert Consent.objects.filter(person=request.contact, purpose="reminders").exists()

    queue = client_for(legal_member).get(reverse("legal_aid:queue")).content.decode()
    assert queue.index("Esteban") < queue.index("Tomás")


def test_known_phone_is_attached_without_touching_the_record(committee, legal_member):
    existing = PersonFactory(committee=committee, preferred_name="María", language="en")
    existing.set_contact(phone="+12135550177", email="maria@example.org")
    existing.save()
    before = (existing.preferred_name, existing.language, existing.updated_at)

    response = spanish_phone().post(url(committee), form(name="Impostor"))

    assert response.status_code == 200
    existing.refresh_from_db()
    assert (existing.preferred_name, existing.language, existing.updated_at) == before
    assert not Consent.objects.filter(person=existing).exists()
    request = LegalRequest.objects.get()
    assert request.needs_proof and request.contact == existing
    # The page after sending reads the same whether or not the number was known.
    assert "Gracias" in response.content.decode()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"name": "   "}, "nombre"),
        ({"phone": "", "email": ""}, "teléfono"),
        ({"phone": "12"}, "teléfono válido"),
        ({"urgency": "tomorrow"}, "válida"),
        ({"for_someone_else": "1", "contact_name": ""}, "su nombre"),
        ({"email": "not-an-email", "phone": ""}, "correo"),
        ({"name": "x" * 500}, "caracteres"),
    ],
)
def test_bad_input_gets_clear_messages_and_saves_nothing(committee, overrides, message):
    response = spanish_phone().post(url(committee), form(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode().lower() or message in response.content.decode()
    assert not LegalRequest.objects.exists()
    assert not Person.objects.exists()


def test_garbage_never_gives_a_500(committee):
    client = spanish_phone()
    for data in ({}, {"urgency": ["a", "b"]}, {"started": "x" * 5000}, {"language": "zz"}):
        assert client.post(url(committee), data).status_code in (400, 429)
    assert not LegalRequest.objects.exists()


def test_bots_and_floods_are_refused(committee, settings):
    client = spanish_phone()
    assert client.post(url(committee), form(website="http://spam")).status_code == 400
    assert client.post(url(committee), form(started=stamp())).status_code == 400
    for i in range(5):
        assert client.post(url(committee), form(name=f"R{i}")).status_code == 200
    assert client.post(url(committee), form(name="R6")).status_code == 429
    assert LegalRequest.objects.count() == 5


def test_unknown_committee_is_a_404(db):
    assert Client().get("/help/nowhere/").status_code == 404
