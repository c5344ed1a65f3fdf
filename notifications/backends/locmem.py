from .base import BaseSmsBackend, Outcome, SendResult, Sms

# Like django.core.mail.outbox: tests read and clear this list.
outbox: list[Sms] = []


class LocmemSmsBackend(BaseSmsBackend):
    def send(self, sms: Sms) -> SendResult:
        outbox.append(sms)
        return SendResult(outcome=Outcome.SENT, provider_id=f"locmem-{sms.message_id}")
