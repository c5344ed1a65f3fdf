"""The public sign-up page: no account, consent with its wording, rate limits, bots
refused without a captcha, and bad input (must show 6) answered clearly, never a 500,
with nothing saved."""

from datetime import timedelta

import pytest
from django.urls import reverse
from freezegun import freeze_time

from lib.antibot import stamp
from lib.crypto import lookup_hash
from members.consent import ConsentEvent
from members.models import Person
from notifications.backends import locmem
from trainings.models import Registration

from .factories import make_training

pytestmark = pytest.mark.django_db

NOON = "2026-11-23 20:00:00"  # 12:00 in Los Angeles


def url(training):
    return reverse(
        "trainings_public:training",
        kwargs={"committee_slug": training.committee.slug, "public_training_id": training.pk},
    )


def shown_seconds_ago(seconds=30):
    import time

    return stamp(time.time() - seconds)


def form(**overrides):
    data = {
        "name": "María",
        "phone": "(213) 555-0199",
        "email": "",
        "language": "es",
        "consent": "on",
        "website": "",
        "started": shown_seconds_ago(),
    }
    data.update(overrides)
    return data


def nothing_saved():
    return (
        not Person.objects.exists()
        and not Registration.objects.exists()
        and not (ConsentEvent.objects.exists())
    )


@freeze_time(NOON)
def test_visitor_signs_up_with_consent_recorded_with_the_wording_shown(
    committee, client, django_capture_on_commit_callbacks
):
    training = make_training(committee, capacity=5)
    client.cookies["defensa_language"] = "es"
    page = client.get(url(training)).content.decode()
    assert "Acepto que Eastside Defense me envíe mensajes de texto" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(training), form())
    assert response.status_code == 200
    assert "¡Gracias! Ya está inscrito." in response.content.decode()
    person = Person.objects.get()
    assert str(person.phone) == "+12135550199"
    assert person.phone_hash == lookup_hash("+12135550199")
    assert person.language == "es"
    assert not hasattr(person, "membership") or person.membership is None
    event = ConsentEvent.objects.get()
    assert (event.purpose, event.channel, event.source, event.language) == (
        "reminders",
        "sms",
        "web_form",
        "es",
    )
    assert event.wording.startswith("Acepto que Eastside Defense me envíe mensajes de texto")
    assert Registration.objects.get().status == "registered"
    assert "tiene un lugar" in locmem.outbox[0].body


@freeze_time(NOON)
def test_full_training_puts_the_visitor_on_the_waitlist_with_a_clear_message(committee, client):
    training = make_training(committee, capacity=0 + 1)
    client.post(url(training), form(phone="213 555 0100"))
    client.cookies["defensa_language"] = "es"
    response = client.post(url(training), form(phone="213 555 0101"))
    body = response.content.decode()
    assert "está en la lista de espera" in body
    assert Registration.objects.filter(status="waitlisted").count() == 1


@freeze_time(NOON)
def test_known_phone_gets_the_same_page_and_no_one_else_is_revealed(
    committee, client, django_capture_on_commit_callbacks
):
    training = make_training(committee, capacity=1)
    client.post(url(training), form(name="Primera", phone="213 555 0100"))
    # Someone types the same phone again, with another name: the page reads as it would
    # for a newcomer to a full training, and the record is not changed.
    with django_capture_on_commit_callbacks(execute=True):
        repeat = client.post(url(training), form(name="Otra", phone="213 555 0100", language="en"))
    newcomer = client.post(url(training), form(name="Nueva", phone="213 555 0102"))
    assert _result_text(repeat) == _result_text(newcomer)
    person = Person.objects.get(phone_hash=lookup_hash("+12135550100"))
    assert (person.preferred_name, person.language) == ("Primera", "es")
    assert Registration.objects.filter(person=person).count() == 1
    # The owner of the phone is only asked whether it was them (issue 11, point 3).
    assert "si fue usted, confirme aquí" in locmem.outbox[-1].body.lower()
    for response in (repeat, newcomer, client.get(url(training))):
        assert "Primera" not in response.content.decode()


def _result_text(response):
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


BAD_INPUT = [
    ("invalid phone", {"phone": "12"}, "Escriba un número de celular válido"),
    ("letters for a phone", {"phone": "call me"}, "Escriba un número de celular válido"),
    ("no contact", {"phone": "", "email": ""}, "Dé un número de celular o un correo"),
    ("bad email", {"phone": "", "email": "not-an-email"}, "correo electrónico válida"),
    ("missing consent", {"consent": ""}, "Por favor marque la casilla"),
    ("10 KB name", {"name": "N" * 10_240}, "menos de 120 caracteres"),
    ("blank name", {"name": "   "}, "Este campo es obligatorio"),
    ("unknown language", {"language": "xx"}, "Escoja una opción válida"),
]


@freeze_time(NOON)
@pytest.mark.parametrize(("case", "changes", "message"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_gets_a_clear_message_and_saves_nothing(
    committee, client, case, changes, message
):
    training = make_training(committee)
    client.cookies["defensa_language"] = "es"
    response = client.post(url(training), form(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert nothing_saved()


@freeze_time(NOON)
def test_past_and_closed_and_cancelled_trainings_refuse_clearly(committee, client):
    past = make_training(committee, starts_in=-timedelta(hours=3))
    closed = make_training(committee, signup_closed=True)
    cancelled = make_training(committee)
    cancelled.cancelled_at = cancelled.created_at
    cancelled.save()
    client.cookies["defensa_language"] = "es"
    expected = {
        past: "ya empezó o ya pasó",
        closed: "La inscripción para esta capacitación está cerrada",
        cancelled: "Esta capacitación fue cancelada",
    }
    for training, message in expected.items():
        page = client.get(url(training))
        assert page.status_code == 200 and message in page.content.decode()
        assert 'name="consent"' not in page.content.decode()
        response = client.post(url(training), form())
        assert response.status_code == 400
        assert message in response.content.decode()
    assert nothing_saved()


@freeze_time(NOON)
def test_members_only_and_other_committees_trainings_are_not_public(
    committee, other_committee, client
):
    members_only = make_training(committee, visibility="members")
    assert client.get(url(members_only)).status_code == 404
    assert client.post(url(members_only), form()).status_code == 404
    other = make_training(other_committee)
    wrong_committee = reverse(
        "trainings_public:training",
        kwargs={"committee_slug": committee.slug, "public_training_id": other.pk},
    )
    assert client.get(wrong_committee).status_code == 404
    assert nothing_saved()


def test_bots_are_refused_without_a_captcha(committee, client):
    with freeze_time(NOON):
        training = make_training(committee)
        honeypot = client.post(url(training), form(website="http://spam.example"))
        assert honeypot.status_code == 400
        too_fast = client.post(url(training), form(started=shown_seconds_ago(0)))
        assert too_fast.status_code == 400
        forged = client.post(url(training), form(started="12345:forged"))
        assert forged.status_code == 400
        stale = client.post(url(training), form(started=shown_seconds_ago(3 * 3600)))
        assert stale.status_code == 400
        assert "no pudimos aceptar el formulario" in stale.content.decode() or (
            "could not accept the form" in stale.content.decode()
        )
        assert nothing_saved()
        # The refusal carries a fresh time stamp: a person who waits and resends gets in.
        fresh = _hidden_started(stale.content.decode())
    with freeze_time("2026-11-23 20:00:10"):
        ok = client.post(url(training), form(started=fresh))
    assert ok.status_code == 200
    assert Registration.objects.count() == 1


def _hidden_started(body):
    marker = 'name="started" value="'
    start = body.index(marker) + len(marker)
    return body[start : body.index('"', start)]


@freeze_time(NOON)
def test_rate_limits_per_ip_and_per_phone(committee, client, settings):
    training = make_training(committee, capacity=100)
    for _ in range(5):
        assert client.post(url(training), form(phone="213 555 0150")).status_code == 200
    too_many = client.post(url(training), form(phone="213 555 0150"))
    assert too_many.status_code == 429
    room = settings.TRAININGS_SIGNUPS_PER_IP_PER_HOUR
    assert room >= 40  # a training room on one Wi-Fi fits
    for n in range(room - 6):  # numbers in different blocks of 100
        client.post(url(training), form(phone=f"213 555 {n + 20:02d}00"))
    blocked_ip = client.post(url(training), form(phone="213 555 0299"))
    assert blocked_ip.status_code == 429
    assert not Person.objects.filter(phone_hash=lookup_hash("+12135550299")).exists()


@freeze_time(NOON)
def test_behind_a_trusted_proxy_each_visitor_has_their_own_limit(committee, client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    training = make_training(committee, capacity=100)
    room = settings.TRAININGS_SIGNUPS_PER_IP_PER_HOUR
    for n in range(room + 1):
        client.post(
            url(training),
            form(phone=f"213 555 {n + 10:02d}30"),
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
    other_visitor = client.post(
        url(training), form(phone="213 555 0399"), HTTP_X_FORWARDED_FOR="198.51.100.8"
    )
    assert other_visitor.status_code == 200
    assert Registration.objects.count() == room + 1
