"""Encryption at rest, and keyed hashes for looking up encrypted values by their exact value.

Sensitive model fields use the encrypted field classes named here (Fernet keys from
SECRET_KEY(+fallbacks) x FIELD_ENCRYPTION_SALT); models import them from this module,
so the choice of encryption is made in one place.

Phone numbers and emails are stored encrypted, so the database cannot be searched
by them; a keyed HMAC of the normalised value sits beside each one. Without
LOOKUP_HASH_KEY a raw dump cannot be used to test "is this number in here?".
"""

import hashlib
import hmac

from django.conf import settings
from encrypted_fields.fields import (
    EncryptedCharField,
    EncryptedEmailField,
    EncryptedFieldMixin,
    EncryptedTextField,
)

__all__ = [
    "EncryptedCharField",
    "EncryptedEmailField",
    "EncryptedFieldMixin",
    "EncryptedTextField",
    "decrypt_text",
    "encrypt_text",
    "lookup_hash",
]


def lookup_hash(value: str) -> str:
    if not value:
        return ""
    key = settings.LOOKUP_HASH_KEY.encode()
    return hmac.new(key, value.strip().lower().encode(), hashlib.sha256).hexdigest()


def _fernet():
    # Same keys as the encrypted model fields (SECRET_KEY(+fallbacks) x FIELD_ENCRYPTION_SALT).
    return EncryptedTextField().f


def encrypt_text(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt_text(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()
