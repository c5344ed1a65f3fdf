"""What erasing a person removes from the messages part (see members.erasure)."""

from members import erasure


@erasure.register
def erase_messages(person) -> None:
    # Every SMS and email to them, their replies, and the questions we asked them.
    # Number-level opt-outs stay: they hold only a keyed hash of the number, and a
    # number that said STOP must never be texted again.
    from .models import Conversation, InboundMessage, Message

    Message.objects.filter(person=person).delete()
    InboundMessage.objects.filter(person=person).delete()
    Conversation.objects.filter(person=person).delete()
