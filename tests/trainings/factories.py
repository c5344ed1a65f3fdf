"""Trainings and people for the trainings tests."""

from datetime import timedelta

from django.utils import timezone

from members.consent import Channel, ConsentSource, Purpose, consent_record
from trainings.models import Registration, RegistrationStatus, Training

from ..factories import PersonFactory


def make_training(committee, *, starts_in=timedelta(days=3), hours=2, **fields):
    starts_at = fields.pop("starts_at", None) or timezone.now() + starts_in
    values = {
        "kind": "know_your_rights",
        "title_en": "Know Your Rights",
        "title_es": "Conozca sus derechos",
        "language": "es",
        "place_name": "Iglesia San José",
        "address": "123 Calle Principal",
        "capacity": 10,
        "visibility": "public",
    }
    values.update(fields)
    return Training.objects.create(
        committee=committee,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        **values,
    )


def consenting(committee, language="es", channels=(Channel.SMS, Channel.EMAIL), **kwargs):
    person = PersonFactory(committee=committee, language=language, **kwargs)
    for channel in channels:
        consent_record(
            person=person,
            purpose=Purpose.REMINDERS,
            channel=channel,
            granted=True,
            wording="ok",
            language=language,
            source=ConsentSource.WEB_FORM,
        )
    return person


def seat(training, person, status=RegistrationStatus.REGISTERED, **fields):
    """A registration written directly (no messages): for screens and query counts."""
    return Registration.objects.create(
        training=training,
        person=person,
        status=status,
        source="member",
        registered_at=fields.pop("registered_at", timezone.now()),
        **fields,
    )
