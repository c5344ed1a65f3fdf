"""Every email sent for a purpose carries a link that stops that purpose by email.

The link is the message's id, signed (lib.links): it names no person and cannot be
guessed. Opening it shows what will stop; confirming records the withdrawal as a
consent event for that purpose on email only (never a grant: a public link can only
take consent away). The footer is added at delivery, in the message's language, so
that no template can forget it, and a List-Unsubscribe header lets mail apps offer it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from lib.links import id_from_token, signed_url
from members.consent import Channel, ConsentSource, Purpose, consent_record, may_contact

from .models import Kind, Message

SALT = "notifications.unsubscribe"


def unsubscribe_url(message: Message) -> str:
    return signed_url("unsubscribe", "token", message.pk, salt=SALT)


def has_link(message: Message) -> bool:
    return bool(
        message.channel == Channel.EMAIL
        and message.person_id
        and message.purpose
        and message.kind in (Kind.STANDARD, Kind.REPLY)
    )


def footer(message: Message) -> str:
    """The lines added under an email's body: no reply is read, and (for a purpose) how
    to stop these emails."""
    with translation.override(message.language or "es"):
        lines = [_("This email was sent automatically: replies to it are not read.")]
        if has_link(message):
            lines.append(
                _("To stop emails about “%(purpose)s” from %(committee)s, open: %(link)s")
                % {
                    "purpose": Purpose(message.purpose).label,
                    "committee": message.committee.name,
                    "link": unsubscribe_url(message),
                }
            )
    return "\n\n--\n" + "\n".join(lines)


def message_for_token(token: str) -> Message | None:
    message_id = id_from_token(token, salt=SALT)
    if message_id is None:
        return None
    message = Message.objects.select_related("person", "committee").filter(pk=message_id).first()
    if message is None or not has_link(message) or message.person.erased_at:
        return None
    return message


@transaction.atomic
def unsubscribe(*, message: Message, wording: str, language: str) -> bool:
    """Withdraw the person's consent to `message.purpose` by email. Returns whether
    anything changed (unsubscribing twice records nothing more)."""
    person = message.person
    if not may_contact(person=person, purpose=message.purpose, channel=Channel.EMAIL):
        return False
    consent_record(
        person=person,
        purpose=message.purpose,
        channel=Channel.EMAIL,
        granted=False,
        wording=wording,
        language=language,
        source=ConsentSource.WEB_FORM,
    )
    return True
