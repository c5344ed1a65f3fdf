"""Signing in by email: only the account's own address, or one it has verified."""

from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.models import EmailAddress


class VerifiedEmailAuthenticationBackend(AuthenticationBackend):
    """allauth's backend signs in with any address listed on an account, verified or
    not: someone who added an unverified secondary address could use it as a login
    name. Here only the account's primary email (members.User.email) or a verified
    address is a login name."""

    def _authenticate_by_email(self, email, password):
        email = (email or "").strip().lower()
        user = super()._authenticate_by_email(email, password)
        if user is None:
            return None
        if user.email.lower() == email:
            return user
        verified = EmailAddress.objects.filter(user=user, email__iexact=email, verified=True)
        return user if verified.exists() else None
