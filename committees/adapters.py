from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Public sign-up is closed: accounts are created only by accepting an invitation
    (committees.views.join), which validates the single-use link in the same transaction."""

    def is_open_for_signup(self, request):
        return False

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


from allauth.mfa.adapter import DefaultMFAAdapter  # noqa: E402

from lib.crypto import decrypt_text, encrypt_text  # noqa: E402


class EncryptingMFAAdapter(DefaultMFAAdapter):
    """Keep TOTP secrets and recovery-code seeds encrypted at rest (allauth stores them
    in plain text by default)."""

    def encrypt(self, text: str) -> str:
        return encrypt_text(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_text(encrypted_text)
