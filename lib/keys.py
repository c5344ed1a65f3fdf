"""The keys this repository publishes for laptops, and which of them a running
installation still uses (production refuses to start with any of them)."""

PUBLISHED_DEFAULT_KEYS = {
    "SECRET_KEY": "local-only-insecure-key-never-use-in-production-0123456789abcdef",
    "LOOKUP_HASH_KEY": "local-only-lookup-hash-key",
    "FIELD_ENCRYPTION_SALT": "local-only-field-salt",
}


def published_keys_in_use(
    *, secret_key, secret_key_fallbacks, lookup_hash_key, salt_keys
) -> list[str]:
    """The names of the settings that still hold a key published in this repository."""
    found = []
    if PUBLISHED_DEFAULT_KEYS["SECRET_KEY"] in [secret_key, *secret_key_fallbacks]:
        found.append("SECRET_KEY")
    if lookup_hash_key == PUBLISHED_DEFAULT_KEYS["LOOKUP_HASH_KEY"]:
        found.append("LOOKUP_HASH_KEY")
    if PUBLISHED_DEFAULT_KEYS["FIELD_ENCRYPTION_SALT"] in list(salt_keys):
        found.append("FIELD_ENCRYPTION_SALT")
    return found
