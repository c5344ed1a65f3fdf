"""Fixtures for the notifications tests: the fake Twilio, signed webhook posts, people who
agreed to be texted, a committee without quiet hours (tests run at any hour)."""

import pytest
from django.conf import settings as django_settings
from twilio.request_validator import RequestValidator

from committees.access import load_viewer
from members.consent import Channel, ConsentSource, Purpose, consent_record
from notifications import services
from notifications.backends import locmem
from notifications.backends import twilio as twilio_backend

from ..factories import PersonFactory
from ..fake_twilio import FakeTwilio

COMMITTEE_NUMBER = "+12135550100"


@pytest.fixture(autouse=True)
def _empty_outbox():
    locmem.outbox.clear()
    yield
    locmem.outbox.clear()


@pytest.fixture(autouse=True)
def _no_inbound_fallbacks(monkeypatch):
    """These tests see the notifications part alone: a feature part's claim on unmatched
    texts (rapid response's possible reports) is tested with that part."""
    from notifications import routing

    monkeypatch.setattr(routing, "FALLBACKS", [])


@pytest.fixture
def open_committee(committee):
    """The committee, with a number and no quiet hours (tests run at every hour)."""
    committee.sms_number = COMMITTEE_NUMBER
    committee.quiet_hours_start = committee.quiet_hours_end = "00:00"
    committee.save()
    return committee


def consenting_person(committee, language="es", purposes=(Purpose.REMINDERS,), **kwargs):
    person = PersonFactory(committee=committee, language=language, **kwargs)
    for purpose in purposes:
        for channel in (Channel.SMS, Channel.EMAIL):
            consent_record(
                person=person,
                purpose=purpose,
                channel=channel,
                granted=True,
                wording="ok",
                language=language,
                source=ConsentSource.WEB_FORM,
            )
    return person


@pytest.fixture
def fake_twilio(settings):
    """The fake Twilio, with the app's Twilio backend pointed at it."""
    fake = FakeTwilio(
        account_sid=django_settings.TWILIO_ACCOUNT_SID,
        auth_token=django_settings.TWILIO_AUTH_TOKEN,
        hang=1.0,
    ).start()
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_API_BASE_URL = fake.url
    settings.TWILIO_READ_TIMEOUT = 0.5
    settings.TWILIO_CONNECT_TIMEOUT = 0.5
    twilio_backend._client.cache_clear()
    yield fake
    fake.stop()
    twilio_backend._client.cache_clear()


def signed_post(client, path, params, *, token=None, signature=None, **extra):
    """POST `params` to `path` as Twilio would: signed over PUBLIC_BASE_URL + path."""
    url = django_settings.PUBLIC_BASE_URL + path
    if signature is None:
        signature = RequestValidator(token or django_settings.TWILIO_AUTH_TOKEN).compute_signature(
            url, params
        )
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature, **extra)


_inbound_counter = iter(range(1, 10**9))


def inbound_params(*, from_number, body, to=COMMITTEE_NUMBER, sid=None, **extra):
    return {
        "MessageSid": sid or f"SMin{next(_inbound_counter):030d}",
        "AccountSid": django_settings.TWILIO_ACCOUNT_SID,
        "From": from_number,
        "To": to,
        "Body": body,
        "NumMedia": "0",
        **extra,
    }


def bulk_consenting_people(committee, count, *, purposes=(Purpose.REMINDERS,), first=0):
    """`count` people who agreed to texts for `purposes`, written in a few statements.

    Numbers are +1310555NNNN from `first` on; languages alternate.
    """
    from members.consent import Consent, ConsentEvent
    from members.models import Person

    people = []
    for n in range(first, first + count):
        person = Person(
            committee=committee, preferred_name=f"Vecino {n}", language="es" if n % 2 else "en"
        )
        person.set_contact(phone=f"+1310555{n:04d}")
        people.append(person)
    Person.objects.bulk_create(people, batch_size=500)
    events = ConsentEvent.objects.bulk_create(
        [
            ConsentEvent(
                person=person,
                purpose=purpose,
                channel=Channel.SMS,
                granted=True,
                wording="ok",
                language=person.language,
                source=ConsentSource.WEB_FORM,
            )
            for person in people
            for purpose in purposes
        ],
        batch_size=500,
    )
    Consent.objects.bulk_create(
        [
            Consent(person=e.person, purpose=e.purpose, channel=e.channel, granted=True, event=e)
            for e in events
        ],
        batch_size=500,
    )
    return people


@pytest.fixture
def redis_server():
    """This test's own redis-server on a free port (never the shared one)."""
    from ..workers import RedisServer

    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def twilio_for_workers(settings):
    """A fake Twilio for worker processes; the test process (the sweep) uses it too."""
    fake = FakeTwilio(
        account_sid=django_settings.TWILIO_ACCOUNT_SID,
        auth_token=django_settings.TWILIO_AUTH_TOKEN,
        hang=15.0,
    ).start()
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_API_BASE_URL = fake.url
    twilio_backend._client.cache_clear()
    yield fake
    fake.stop()
    twilio_backend._client.cache_clear()


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
