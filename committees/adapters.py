from allauth.account.adapter import DefaultAccountAdapter


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


from allauth.mfa.adapter import DefaultMFAAdapter  # noqa: E402

from lib.crypto import decrypt_text, encrypt_text  # noqa: E402


class EncryptingMFAAdapter(DefaultMFAAdapter):
    """Keep TOTP secrets and recovery-code seeds encrypted at rest (allauth stores them
    in plain text by default)."""

    def encrypt(self, text: str) -> str:
        return encrypt_text(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_text(encrypted_text)
