"""Point 8 / must show 5: a wrong key is an error, links honour fallbacks, and every
encrypted value can be moved to a new key so the old one can be retired."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.apps import apps
from django.core.management import call_command
from django.test import override_settings

from committees.roles import Role
from lib.crypto import DecryptionError, decrypt_text, encrypted_fields
from members.models import Person
from notifications.models import InboundMessage
from trainings import links

from ..factories import TEST_TOTP_SECRET, make_member
from ..trainings.factories import consenting, make_training, seat

OLD = "old-secret-key-for-rotation-tests-0123456789abcdefghijklmnopqrstuvwxyz"
NEW = "new-secret-key-for-rotation-tests-9876543210zyxwvutsrqponmlkjihgfedcba"


def _every_encrypted_value() -> dict:
    """Every encrypted field of every row, read through the ORM."""
    values = {}
    for model in apps.get_models():
        names = [f.name for f in encrypted_fields(model)]
        if not names:
            continue
        for row in model._base_manager.order_by("pk").values("pk", *names):
            for name in names:
                values[(model._meta.label, row["pk"], name)] = row[name]
    return values


@pytest.fixture
def encrypted_rows(committee):
    """A person with every encrypted field filled, a TOTP, a message, a reply, notes."""
    with override_settings(SECRET_KEY=OLD, SECRET_KEY_FALLBACKS=[]):
        coordinator = make_member(committee, roles=[Role.COORDINATOR])
        person = consenting(committee, phone="+12135550177", email="rosa@example.org")
        person.notes = "Lives with her sister"
        person.save()
        registration = seat(make_training(committee), person, notes="needs a ride")
        InboundMessage.objects.create(
            committee=committee,
            person=person,
            provider_id="SM" + "7" * 32,
            from_address="+12135550177",
            from_hash=person.phone_hash,
            body="SI",
        )
        values = _every_encrypted_value()
    assert any(v == "+12135550177" for v in values.values())
    return {"coordinator": coordinator, "person": person, "registration": registration}


def test_reading_with_a_wrong_key_raises_instead_of_showing_ciphertext(encrypted_rows):
    person = encrypted_rows["person"]
    with override_settings(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[]):
        with pytest.raises(DecryptionError, match="members.Person.phone"):
            Person.objects.get(pk=person.pk)
        with pytest.raises(DecryptionError):
            decrypt_text(Authenticator.objects.first().data["secret"])


def test_sms_link_signed_with_a_rotated_key_still_opens_with_fallbacks(encrypted_rows):
    registration = encrypted_rows["registration"]
    with override_settings(SECRET_KEY=OLD, SECRET_KEY_FALLBACKS=[]):
        token = links.registration_token(registration)
    with override_settings(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[OLD]):
        assert links.registration_id_from_token(token) == registration.pk
    with override_settings(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[]):
        assert links.registration_id_from_token(token) is None


def test_reencrypt_under_new_key_then_old_key_retired_every_field_still_reads(encrypted_rows):
    with override_settings(SECRET_KEY=OLD, SECRET_KEY_FALLBACKS=[]):
        before = _every_encrypted_value()
    with override_settings(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[OLD]):
        assert _every_encrypted_value() == before
        call_command("reencrypt_fields", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert _every_encrypted_value() == before
    with override_settings(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[]):
        after = _every_encrypted_value()
        assert after == before
        assert not any(isinstance(v, str) and v.startswith("gAAAA") for v in after.values())
        # The second factor still works under the new key alone.
        user = encrypted_rows["coordinator"].person.user
        code = format_hotp_value(hotp_value(TEST_TOTP_SECRET, int(time.time()) // 30))
        assert TOTP(Authenticator.objects.get(user=user, type="totp")).validate_code(code)


def test_reencrypt_refuses_a_value_no_key_opens(encrypted_rows):
    from django.core.management.base import CommandError

    with override_settings(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[]):
        with pytest.raises(CommandError, match="no configured key opens"):
            call_command("reencrypt_fields", stdout=open("/dev/null", "w"))  # noqa: SIM115
