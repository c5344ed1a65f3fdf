"""A coordinator writes a group message, confirms it and watches it go out, in Spanish,
on a 360 px phone and a 1280 px laptop."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import timezone

from committees.roles import Role
from notifications import services
from notifications.models import Message, Status

from ..factories import TEST_TOTP_SECRET, make_member
from ..notifications.conftest import bulk_consenting_people
from ..workers import free_port, publishing_to
from .a11y import audit
from .conftest import assert_fits_phone, open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_composes_confirms_and_watches_a_group_message_in_spanish(screen, committee):
    committee.sms_number = "+12135550100"
    committee.quiet_hours_start = committee.quiet_hours_end = "00:00"
    committee.save()
    coordinator = make_member(committee, roles=[Role.COORDINATOR], name="Ana", language="es")
    bulk_consenting_people(committee, 6)
    page = screen
    sign_in_es(page, coordinator)

    open_menu(page)
    page.get_by_role("link", name="Mensajes", exact=True).click()
    page.get_by_role("heading", name="Mensajes").first.wait_for()
    audit(page)
    page.get_by_role("link", name="Nuevo mensaje de grupo").first.click()
    page.get_by_role("heading", name="Nuevo mensaje de grupo").wait_for()
    page.locator("#id_status").select_option("")
    page.locator("#id_purpose").select_option("reminders")  # no default: the sender chooses
    page.get_by_label("Texto en español").fill("Taller el sábado a las 10 en la Casa del Pueblo.")
    page.get_by_label("Texto en inglés").fill("Training Saturday 10am at Casa del Pueblo.")
    preview = page.locator("#compose-preview")
    preview.get_by_text("6 de las 7 personas de este grupo lo recibirán.").wait_for()
    preview.get_by_text("UCS-2").first.wait_for()  # "sábado": the coordinator is warned
    preview.get_by_text("Estos caracteres no están en el alfabeto GSM-7").wait_for()
    assert_fits_phone(page)
    audit(page)

    page.get_by_role("button", name="Continuar").click()
    page.get_by_role("heading", name="Revisar y enviar").wait_for()
    assert not Message.objects.exists()  # nothing leaves before the confirmation
    assert_fits_phone(page)
    audit(page)

    # Redis is unreachable as the coordinator confirms: the page still works, the
    # messages wait in the outbox and the progress page shows them waiting.
    with publishing_to(f"redis://127.0.0.1:{free_port()}/0"):
        page.get_by_role("button", name="Enviar a 6 personas").click()
        page.get_by_role("heading", name="Mensaje de grupo").wait_for()
    page.get_by_text("0 de 6 terminados").wait_for()
    assert_fits_phone(page)
    audit(page)

    # The outbox sweep hands them over; the open page updates by itself.
    services.outbox_sweep(now=timezone.now() + timezone.timedelta(minutes=1))
    page.get_by_text("6 de 6 terminados · 6 enviados o entregados").wait_for(timeout=10_000)
    page.get_by_text("Terminado", exact=True).wait_for()
    assert Message.objects.filter(status=Status.SENT).count() == 6
    audit(page, "finished")


def sign_in_es(page, membership):
    """Sign in (the login page in English), then the coordinator's saved language, Spanish."""
    page.goto("/")
    audit(page)
    page.get_by_label("Email").fill(membership.person.user.email)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code").wait_for()
    audit(page)
    code = format_hotp_value(hotp_value(TEST_TOTP_SECRET, int(time.time()) // 30))
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Hoy").wait_for()
    audit(page)
