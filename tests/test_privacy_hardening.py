"""Issue 11, point 10: the lower findings (treasurer listing names, the roster, logs,
caching, sessions, password reset, login names, CSV quoting)."""

import csv
import io
import logging
import sys

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from committees.roles import Role
from lib.csv_io import write_csv
from lib.redaction import RedactPersonalData
from members.audit import AuditEvent

from .factories import PersonFactory, make_member
from .trainings.factories import make_training, seat

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def test_treasurer_cannot_list_names_through_message_history(committee, client_for):
    treasurer = make_member(committee, roles=[Role.TREASURER])
    neighbour = PersonFactory(committee=committee, preferred_name="Rosa Secreta")
    response = client_for(treasurer).get(
        reverse("notifications:person_history", args=[neighbour.pk])
    )
    assert response.status_code in (403, 404)
    assert b"Rosa Secreta" not in response.content


def test_opening_a_roster_with_phones_is_in_the_audit_trail(committee, coordinator, client_for):
    training = make_training(committee)
    seat(training, PersonFactory(committee=committee))
    assert (
        client_for(coordinator).get(reverse("trainings:roster", args=[training.pk])).status_code
        == 200
    )
    event = AuditEvent.objects.get(kind="trainings.roster_viewed")
    assert (event.actor, event.target_id) == (coordinator.person, training.pk)


def test_roster_csv_needs_the_password_again(committee, coordinator, client_for):
    training = make_training(committee)
    response = client_for(coordinator).get(reverse("trainings:roster_export", args=[training.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORTED).exists()


def _filtered(record) -> str:
    RedactPersonalData().filter(record)
    return logging.Formatter("%(message)s").format(record)


def test_traceback_in_a_log_line_has_its_phone_and_email_redacted():
    try:
        raise ValueError("could not text +1 213 555 0142 or rosa@example.org")
    except ValueError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "send failed", (), sys.exc_info()
        )
    output = _filtered(record)
    assert "ValueError" in output
    assert "555 0142" not in output and "rosa@example.org" not in output


def test_unseparated_ten_digit_number_is_redacted():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "from %s", ("2135550142",), None)
    assert "2135550142" not in _filtered(record)


def test_404_log_line_does_not_carry_a_registration_or_invitation_token():
    for path in ("/t/r/1f-AbCdEfGhIjKlMnOp/", "/join/SeCrEtToKeN123/", "/confirm/tok_en-9/"):
        record = logging.LogRecord(
            "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (path,), None
        )
        output = _filtered(record)
        assert "[token]" in output
        assert path.split("/")[-2] not in output


def test_pages_with_contact_details_are_not_stored_by_the_browser(
    committee, coordinator, client_for
):
    person = PersonFactory(committee=committee)
    training = make_training(committee)
    client = client_for(coordinator)
    for url in (
        reverse("members:person_detail", args=[person.pk]),
        reverse("trainings:roster", args=[training.pk]),
        reverse("profile:detail"),
        reverse("dashboard"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_an_active_session_still_ends_after_its_absolute_lifetime(committee, settings):
    member = make_member(committee, roles=[Role.RESPONDER])
    client = Client()
    with freeze_time("2026-12-01 08:00:00") as clock:
        response = client.post(
            reverse("account_login"), {"login": member.person.user.email, "password": PASSWORD}
        )
        assert response.status_code == 302
        for _step in range(settings.SESSION_COOKIE_AGE // (20 * 60)):
            assert client.get(reverse("dashboard")).status_code == 200
            clock.tick(20 * 60)
        clock.tick(20 * 60)
        assert client.get(reverse("dashboard")).status_code == 302


def test_password_reset_for_an_unknown_address_sends_no_mail(mailoutbox, client):
    response = client.post(reverse("account_reset_password"), {"email": "stranger@victim.example"})
    assert response.status_code == 302
    assert mailoutbox == []


def test_unverified_secondary_email_is_not_a_login_name(committee):
    member = make_member(committee, roles=[Role.RESPONDER])
    EmailAddress.objects.create(
        user=member.person.user, email="added-later@example.org", verified=False, primary=False
    )
    response = Client().post(
        reverse("account_login"), {"login": "added-later@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200  # the form again: not signed in
    own = Client().post(
        reverse("account_login"), {"login": member.person.user.email, "password": PASSWORD}
    )
    assert own.status_code == 302


def test_every_csv_cell_is_quoted_so_a_semicolon_cannot_start_a_formula():
    text = "".join(write_csv([["Rosa", "a;=HYPERLINK(1)", 3]], ["name", "note", "n"]))
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[1] == '"Rosa","a;=HYPERLINK(1)","3"'
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1][1] == "a;=HYPERLINK(1)"
