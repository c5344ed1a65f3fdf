"""Must show 5, on a 360 px phone, in Spanish: a visitor signs up on the public page for
a full training, lands on the waitlist and reads a clear Spanish message; then the
trainer opens the roster and checks someone in with one tap."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from committees.roles import Role
from lib.crypto import lookup_hash
from trainings.models import Registration, Training

from ..factories import PersonFactory, make_member
from .conftest import assert_fits_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_visitor_joins_the_waitlist_in_spanish_and_the_trainer_checks_someone_in(
    phone, live_server, committee
):
    page = phone
    starts_at = timezone.now() + timedelta(minutes=90)
    training = Training.objects.create(
        committee=committee,
        kind="know_your_rights",
        title_en="Know Your Rights",
        title_es="Conozca sus derechos",
        language="es",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        place_name="Iglesia San José",
        address="123 Calle Privada",
        capacity=1,
    )
    rosa = PersonFactory(committee=committee, preferred_name="Rosa Sentada")
    Registration.objects.create(
        training=training,
        person=rosa,
        status="registered",
        source="member",
        registered_at=timezone.now(),
    )

    # The visitor: public calendar, in Spanish, then the training's page.
    page.goto(f"/t/{committee.slug}/")
    page.get_by_role("button", name="Español").click()
    page.get_by_role("heading", name="Capacitaciones: Eastside Defense").wait_for()
    assert_fits_phone(page)
    page.get_by_role("link", name="Conozca sus derechos").click()
    page.get_by_text("Lleno: puede anotarse en la lista de espera").wait_for()
    assert "Rosa" not in page.content()  # who signed up is never shown
    assert "123 Calle Privada" not in page.content()  # the private address neither
    assert_fits_phone(page)

    # Bad input first: a clear Spanish message, nothing saved.
    page.get_by_label("Su nombre").fill("Lucía")
    page.get_by_label("Celular").fill("12")
    page.get_by_label("Acepto que Eastside Defense").check()
    page.wait_for_timeout(3200)  # a person takes longer than a bot
    page.get_by_role("button", name="Anotarme en la lista de espera").click()
    page.get_by_text("Escriba un número de celular válido").wait_for()
    assert Registration.objects.count() == 1

    page.get_by_label("Celular").fill("213 555 0142")
    page.get_by_role("button", name="Anotarme en la lista de espera").click()
    message = page.get_by_text(
        "Esta capacitación está llena, así que usted está en la lista de espera"
    )
    message.wait_for()
    assert message.is_visible()
    assert_fits_phone(page)
    lucia = Registration.objects.get(person__phone_hash=lookup_hash("+12135550142"))
    assert (lucia.status, lucia.waitlist_position, lucia.person.language) == ("waitlisted", 1, "es")

    # The trainer, on their phone, in Spanish: one tap checks Rosa in.
    trainer = make_member(committee, roles=[Role.TRAINER], name="Tina", language="es")
    sign_in(page, live_server, trainer.person.user)
    page.goto(f"/trainings/{training.pk}/roster/")
    page.get_by_role("heading", name="Lista").wait_for()
    assert_fits_phone(page)
    page.get_by_role("button", name="Marcar la asistencia de Rosa Sentada").click()
    page.get_by_role("button", name="Deshacer la asistencia de Rosa Sentada").wait_for()
    assert (
        page.locator(f"#r{Registration.objects.get(person=rosa).pk}")
        .get_by_text("Asistió")
        .is_visible()
    )
    rosa_registration = Registration.objects.get(person=rosa)
    assert rosa_registration.status == "attended" and rosa_registration.attended_at
    assert_fits_phone(page)
