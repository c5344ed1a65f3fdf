"""How a proof-of-control request (members.proofs) reaches the typed address."""

from django.conf import settings
from django.urls import reverse

from members import proofs

from .models import Kind


def send_contact_proof(proof, *, token: str, address: str) -> None:
    """Queue the "was it you?" link to `address` (the record's own phone or email), in
    the person's language, in the caller's transaction."""
    from .services import message_queue_to_number

    message_queue_to_number(
        committee=proof.committee,
        to=address,
        language=proof.person.language,
        template="contact_proof",
        idempotency_key=f"contact_proof:{proof.pk}",
        kind=Kind.VERIFICATION,
        person=proof.person,
        context={"link": settings.PUBLIC_BASE_URL + reverse("contact_proof", args=[token])},
        channel=proof.channel,
    )


proofs.register_sender(send_contact_proof)
