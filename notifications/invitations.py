"""Invitations to join, sent through the outbox (registered in committees.delivery).

The coordinator typed the address, often with the person standing beside them, so no
consent exists yet: the message is of its own kind (Kind.INVITATION), sent at once
(no quiet hours), and still never to a number that has opted out or cannot receive
texts. Each send has its own idempotency key (invitation, send number, channel), so the
page can find the rows and show what became of them in one query.
"""

from __future__ import annotations

from django.db.models import Q

from committees.delivery import Delivery
from members.consent import Channel

from . import reasons
from .models import Kind, Message
from .services import message_queue_to_number

TEMPLATE = "invitation"


def _key(invitation, channel: str, send_number: int | None = None) -> str:
    number = invitation.send_count if send_number is None else send_number
    return f"invitation:{invitation.pk}:{number}:{channel}"


class OutboxInvitationSender:
    def send(self, *, invitation, link: str, channels: list[str]) -> None:
        addresses = {Channel.EMAIL: invitation.email, Channel.SMS: str(invitation.phone or "")}
        for channel in channels:
            message_queue_to_number(
                committee=invitation.committee,
                to=addresses[channel],
                language=invitation.language,
                template=TEMPLATE,
                idempotency_key=_key(invitation, channel),
                kind=Kind.INVITATION,
                channel=channel,
                person=invitation.person,
                context={"link": link, "invitation": invitation},
            )

    def statuses(self, invitations) -> dict[int, list[Delivery]]:
        invitations = [i for i in invitations if i.send_count]
        if not invitations:
            return {}
        keys = {
            _key(invitation, channel): invitation.pk
            for invitation in invitations
            for channel in (Channel.SMS, Channel.EMAIL)
        }
        found: dict[int, list[Delivery]] = {}
        rows = Message.objects.filter(Q(idempotency_key__in=list(keys)), kind=Kind.INVITATION).only(
            "idempotency_key", "channel", "status", "status_reason"
        )
        for message in sorted(rows, key=lambda m: m.channel, reverse=True):
            found.setdefault(keys[message.idempotency_key], []).append(
                Delivery(
                    channel=message.channel,
                    status=message.status,
                    label=message.get_status_display(),
                    reason=str(reasons.label(message.status_reason))
                    if message.status_reason
                    else "",
                )
            )
        return found


def register() -> None:
    from committees import delivery

    delivery.register(OutboxInvitationSender())
