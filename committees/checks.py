"""`manage.py check --deploy`: is this installation using keys anyone can read?"""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def published_default_keys(app_configs, **kwargs):
    from lib.keys import published_keys_in_use

    found = published_keys_in_use(
        secret_key=settings.SECRET_KEY,
        secret_key_fallbacks=getattr(settings, "SECRET_KEY_FALLBACKS", []),
        lookup_hash_key=settings.LOOKUP_HASH_KEY,
        salt_keys=settings.SALT_KEY,
    )
    return [
        Error(
            f"{name} is the local default published in the repository: anyone can forge "
            "sessions and signed links, or open encrypted fields and lookup hashes from a "
            "copy of the database.",
            hint=f"Set {name} to a new random value (see README, 'Keys').",
            id="committees.E001",
        )
        for name in found
    ]
