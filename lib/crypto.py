"""Encryption at rest, and keyed hashes for looking up encrypted values by their exact value.

Sensitive model fields use the encrypted field classes named here; models import them
from this module, so the choice of encryption is made in one place.

Phone numbers and emails are stored encrypted, so the database cannot be searched
by them; a keyed HMAC of the normalised value sits beside each one. Without
LOOKUP_HASH_KEY a raw dump cannot be used to test "is this number in here?".

The encrypted model fields are django-fernet-encrypted-fields' own, with two changes:

* a value that no key can decrypt raises `DecryptionError`. The library returns the
  ciphertext itself ("gAAAA…"), which a page would then show, an SMS would be sent to,
  or a save would encrypt a second time.
* the keys follow the settings (SECRET_KEY, then SECRET_KEY_FALLBACKS, each with every
  FIELD_ENCRYPTION_SALT), derived once per process: the first one encrypts, all of them
  decrypt. `manage.py reencrypt_fields` rewrites every value under the first key, after
  which an old key can leave SECRET_KEY_FALLBACKS.

Their `deconstruct()` names the library's classes, so migrations (and the columns) are
the library's: these classes can move without a migration.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet as _Fernet
from cryptography.fernet import InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.conf import settings
from encrypted_fields import fields as _library

__all__ = [
    "DecryptionError",
    "EncryptedCharField",
    "EncryptedEmailField",
    "EncryptedFieldMixin",
    "EncryptedTextField",
    "decrypt_text",
    "encrypt_text",
    "encrypted_fields",
    "fernet",
    "lookup_hash",
    "reencrypt_token",
]


class DecryptionError(ValueError):
    """An encrypted value that none of the configured keys opens (a wrong or retired key)."""


def lookup_hash(value: str) -> str:
    if not value:
        return ""
    key = settings.LOOKUP_HASH_KEY.encode()
    return hmac.new(key, value.strip().lower().encode(), hashlib.sha256).hexdigest()


@functools.lru_cache(maxsize=16)
def _derive(secret_key: str, salt: str) -> bytes:
    # Exactly the library's derivation, so existing values keep reading.
    kdf = PBKDF2HMAC(
        algorithm=hashes.SHA256(), length=32, salt=salt.encode("utf-8"), iterations=100_000
    )
    return base64.urlsafe_b64encode(kdf.derive(secret_key.encode("utf-8")))


@functools.lru_cache(maxsize=8)
def _multi_fernet(secret_keys: tuple[str, ...], salts: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([_Fernet(_derive(s, salt)) for s in secret_keys for salt in salts])


def fernet() -> MultiFernet:
    """The keys in force now: encrypts with the first, decrypts with any."""
    salts = settings.SALT_KEY if isinstance(settings.SALT_KEY, list) else [settings.SALT_KEY]
    secret_keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return _multi_fernet(tuple(secret_keys), tuple(salts))


def encrypt_text(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt_text(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise DecryptionError("a value could not be decrypted with the configured keys")


def reencrypt_token(token: str) -> str:
    """The same value, encrypted under the current first key (raises DecryptionError)."""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise DecryptionError("a value could not be decrypted with the configured keys")


class EncryptedFieldMixin(_library.EncryptedFieldMixin):
    @property
    def f(self):
        return fernet()

    def from_db_value(self, value, expression, connection):
        # What comes from the database is always a token: failing to open it is an
        # error, never a value to show.
        if value is None or not isinstance(value, str) or value == "":
            return value
        try:
            plain = fernet().decrypt(value.encode("utf-8")).decode("utf-8")
        except InvalidToken:
            raise DecryptionError(
                f"{self.model._meta.label}.{self.name} could not be decrypted with the "
                "configured keys (SECRET_KEY, SECRET_KEY_FALLBACKS, FIELD_ENCRYPTION_SALT)"
            )
        return super(_library.EncryptedFieldMixin, self).to_python(plain)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        library_class = getattr(_library, type(self).__name__)
        return name, f"{library_class.__module__}.{library_class.__name__}", args, kwargs


class EncryptedCharField(EncryptedFieldMixin, _library.EncryptedCharField):
    pass


class EncryptedTextField(EncryptedFieldMixin, _library.EncryptedTextField):
    pass


class EncryptedEmailField(EncryptedFieldMixin, _library.EncryptedEmailField):
    pass


def encrypted_fields(model) -> list:
    """The model's concrete encrypted columns (ours or the library's)."""
    return [f for f in model._meta.concrete_fields if isinstance(f, _library.EncryptedFieldMixin)]
