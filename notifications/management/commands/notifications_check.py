"""Send a test SMS (and/or email) through the configured backend and the real pipeline.

    python manage.py notifications_check --to +12135550123 [--email you@example.org]
        [--committee eastside] [--wait 60]

The message is written to the outbox like any other and delivered by the workers
(or in-process without Redis), so a success proves the whole path: settings, broker,
worker, Twilio credentials and sender, and (after a while) the status callback.
"""

import time
import uuid

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from committees.models import Committee
from members.consent import Channel
from notifications.models import FINAL_STATUSES, Kind, Message, Status
from notifications.services import message_queue_to_number

GOOD = {Status.SENT, Status.DELIVERED}


class Command(BaseCommand):
    help = "Send a test SMS and/or email through the outbox, to check the configuration."

    def add_arguments(self, parser):
        parser.add_argument("--to", help="a mobile number in E.164, e.g. +12135550123")
        parser.add_argument("--email", help="an email address")
        parser.add_argument("--committee", help="the committee's short name (if several)")
        parser.add_argument("--language", default="en", choices=["en", "es"])
        parser.add_argument(
            "--wait", type=float, default=60, help="seconds to wait for the workers"
        )

    def handle(self, *args, **options):
        if not options["to"] and not options["email"]:
            raise CommandError("give --to (a mobile number) and/or --email")
        committee = self._committee(options["committee"])
        targets = []
        if options["to"]:
            targets.append((Channel.SMS, self._number(options["to"])))
        if options["email"]:
            try:
                validate_email(options["email"])
            except ValidationError:
                raise CommandError("--email is not an email address") from None
            targets.append((Channel.EMAIL, options["email"]))
        ids = []
        with transaction.atomic():
            for channel, address in targets:
                message = message_queue_to_number(
                    committee=committee,
                    to=address,
                    channel=channel,
                    language=options["language"],
                    template="check",
                    idempotency_key=f"check:{uuid.uuid4()}",
                    kind=Kind.CHECK,
                )
                ids.append(message.pk)
                self.stdout.write(f"queued {channel} message #{message.pk}")
        failed = False
        for message in self._wait(ids, options["wait"]):
            ok = message.status in GOOD
            failed |= not ok
            line = f"{message.channel} message #{message.pk}: {message.status}"
            if message.status_reason or message.error_code:
                line += f" ({message.status_reason or ''} {message.error_code or ''})".rstrip()
            self.stdout.write(self.style.SUCCESS(line) if ok else self.style.ERROR(line))
        if failed:
            raise CommandError(
                "not sent: check SMS_BACKEND / TWILIO_* / EMAIL_URL, and that a worker runs"
            )

    def _committee(self, slug):
        committees = Committee.objects.all()
        if slug:
            committees = committees.filter(slug=slug)
        found = list(committees[:2])
        if len(found) != 1:
            raise CommandError("name the committee with --committee <short name>")
        return found[0]

    def _number(self, raw):
        try:
            number = phonenumbers.parse(raw, None)
        except phonenumbers.NumberParseException:
            raise CommandError("--to must be a number in E.164, e.g. +12135550123") from None
        if not phonenumbers.is_valid_number(number):
            raise CommandError("--to is not a valid phone number")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def _wait(self, ids, seconds):
        deadline = time.monotonic() + seconds
        while True:
            messages = list(Message.objects.filter(pk__in=ids).order_by("pk"))
            settled = all(m.status in GOOD or m.status in FINAL_STATUSES for m in messages)
            if settled or time.monotonic() >= deadline:
                return messages
            time.sleep(0.5)
