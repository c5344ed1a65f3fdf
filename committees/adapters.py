import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.utils import translation

logger = logging.getLogger("committees.sign_in")


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Public sign-up is closed: accounts are created only by accepting an invitation
    (committees.views.join), which validates the single-use link in the same transaction."""

    def is_open_for_signup(self, request):
        return False

    # --- Failed sign-ins ------------------------------------------------------------
    # allauth counts failures per account ("key" = the email), whoever makes them: five
    # wrong passwords from anywhere locked a dispatcher out of their own account during a
    # raid. Here failures count per client address and account together (and per
    # address, "login_failed"); the account-wide count ("login_failed_account") only
    # stops a password that is wrong, or correct for an account without a second
    # factor. A correct password on an account with one still reaches the second-factor
    # step, which allauth rate-limits per user.

    def pre_authenticate(self, request, **credentials):
        login = _login(credentials)
        self._login_failed_rl_usage = ratelimit.consume(
            request,
            app="allauth.account",
            action="login_failed",
            key=f"{self.get_client_ip(request)}:{login}",
        )
        if not self._login_failed_rl_usage:
            _log_refusal("address", login)
            raise self.validation_error("too_many_login_attempts")
        self._account_rl_usage = ratelimit.consume(
            request, app="allauth.account", action="login_failed_account", key=login
        )

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        account_usage = self._account_rl_usage
        if user is not None and account_usage:
            account_usage.rollback()
        elif user is not None and not _has_second_factor(user):
            _log_refusal("account", _login(credentials))
            raise self.validation_error("too_many_login_attempts")
        elif user is None and not account_usage:
            _log_refusal("account", _login(credentials))
            raise self.validation_error("too_many_login_attempts")
        return user

    def _delete_login_attempts_cached_email(self, request, **credentials):
        # A successful password reset clears both counts for the account.
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(
            request, app="allauth.account", action="login_failed_account", key=_login(credentials)
        )

    def add_message(
        self,
        request,
        level,
        message_template=None,
        message_context=None,
        extra_tags="",
        message=None,
    ):
        # "Signed in as <email>" is rendered before the person's saved language takes
        # over, and repeats their address on screen: leave it out.
        if message_template == "account/messages/logged_in.txt":
            return
        super().add_message(request, level, message_template, message_context, extra_tags, message)

    # --- Account emails (password reset, password changed, ...) ------------------------
    # Written in the committee's name and the person's language, never "Hello from
    # 127.0.0.1:8000" (allauth's default names the site by the host it was reached at).

    def send_mail(self, template_prefix, email, context):
        committee_name, language = _sender_for(email)
        context = {**context, "committee_name": committee_name}
        self._committee_name = committee_name
        with translation.override(language or translation.get_language()):
            return super().send_mail(template_prefix, email, context)

    def format_email_subject(self, subject):
        name = getattr(self, "_committee_name", "") or "Defensa"
        return f"[{name}] {subject}"


def _sender_for(email: str) -> tuple[str, str | None]:
    """The committee an address's account belongs to (its first, by name) and the
    account's language; ("Defensa", None) for an address without an account."""
    from committees.models import Membership
    from committees.roles import MembershipStatus
    from members.models import User

    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return "Defensa", None
    membership = (
        Membership.objects.filter(person__user=user)
        .exclude(status=MembershipStatus.SUSPENDED)
        .select_related("committee")
        .order_by("committee__name")
        .first()
    )
    return (membership.committee.name if membership else "Defensa"), user.language


def _login(credentials) -> str:
    return str(credentials.get("email") or credentials.get("username") or "").strip().lower()


def _has_second_factor(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def _log_refusal(scope: str, login: str) -> None:
    # Never the address itself: a short keyed hash tells repeated attempts apart.
    from lib.crypto import lookup_hash

    logger.warning(
        "sign-in refused: too many failed attempts (%s limit) for account %s",
        scope,
        lookup_hash(login)[:12],
    )


from allauth.mfa.adapter import DefaultMFAAdapter  # noqa: E402

from lib.crypto import decrypt_text, encrypt_text  # noqa: E402


class EncryptingMFAAdapter(DefaultMFAAdapter):
    """Keep TOTP secrets and recovery-code seeds encrypted at rest (allauth stores them
    in plain text by default)."""

    def encrypt(self, text: str) -> str:
        return encrypt_text(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_text(encrypted_text)
