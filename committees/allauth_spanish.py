"""allauth strings whose Spanish translation addresses people as "tú", while the rest of
the app says "usted". Listed here so that `make messages` keeps them in our catalogue,
whose translations come before allauth's own (LOCALE_PATHS)."""

from django.utils.translation import gettext_noop

ALLAUTH_STRINGS = [
    gettext_noop(
        "If you choose to trust this browser, you will not be asked for a verification code "
        "the next time you sign in."
    ),
    gettext_noop(
        "You cannot generate recovery codes without having two-factor authentication enabled."
    ),
    gettext_noop("Email address %(deleted_email)s has been removed from your account."),
    gettext_noop(
        "You are about to create a passkey for your account. As you can add additional keys "
        "later on, you can use a descriptive name to tell the keys apart."
    ),
]
