"""Consent to be contacted, per purpose and channel.

Every grant or withdrawal is an append-only `ConsentEvent` (the exact wording shown,
its language, time, source and who recorded it). `Consent` holds the current answer
for each (person, purpose, channel), written in the same transaction, so that the
notifications part can filter thousands of recipients in one query.

No consent, no message: the notifications part asks `may_contact()` (one person),
`consented_channels()` (a list of people) or `with_consent()` (a queryset) at send time.
"""

from __future__ import annotations

from django.db import models, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    RAID_ALERTS = "raid_alerts", _("Raid alerts")
    REMINDERS = "reminders", _("Reminders")
    FUNDRAISING = "fundraising", _("Fundraising")
    NEWS = "news", _("General news")


class Channel(models.TextChoices):
    SMS = "sms", _("Text message (SMS)")
    EMAIL = "email", _("Email")


class ConsentSource(models.TextChoices):
    WEB_FORM = "web_form", _("Web form")
    IMPORT = "import", _("Import")
    SPOKEN = "spoken", _("Spoken to an organizer")
    PROFILE = "profile", _("Their own profile")
    SMS_KEYWORD = "sms_keyword", _("Text message keyword")


class ConsentEvent(models.Model):
    """One grant or withdrawal, never changed afterwards."""

    committee_path = "person__committee"

    person = models.ForeignKey(
        "members.Person", on_delete=models.CASCADE, related_name="consent_events"
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    granted = models.BooleanField(_("granted"))
    wording = models.TextField(_("wording shown"))
    language = models.CharField(_("language of the wording"), max_length=8)
    source = models.CharField(_("source"), max_length=16, choices=ConsentSource.choices)
    recorded_by = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "purpose", "channel", "-created_at"])]

    def __str__(self):
        return f"{self.purpose}/{self.channel}: {'granted' if self.granted else 'withdrawn'}"


class Consent(models.Model):
    """The current answer for one person, purpose and channel (derived from the events)."""

    committee_path = "person__committee"

    person = models.ForeignKey("members.Person", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    granted = models.BooleanField(_("granted"))
    event = models.ForeignKey(ConsentEvent, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "purpose", "channel"], name="one_consent_per_purpose_channel"
            )
        ]
        indexes = [models.Index(fields=["purpose", "channel", "granted"])]

    def __str__(self):
        return f"{self.purpose}/{self.channel}: {'yes' if self.granted else 'no'}"


@transaction.atomic
def consent_record(
    *,
    person,
    purpose: str,
    channel: str,
    granted: bool,
    wording: str,
    language: str,
    source: str,
    recorded_by=None,
    at=None,
) -> ConsentEvent:
    """Record a grant or withdrawal and update the current answer.

    Side effects: one ConsentEvent row; the Consent row for (person, purpose, channel)
    created or updated.
    """
    purpose, channel, source = Purpose(purpose), Channel(channel), ConsentSource(source)
    event = ConsentEvent.objects.create(
        person=person,
        purpose=purpose,
        channel=channel,
        granted=granted,
        wording=wording,
        language=language,
        source=source,
        recorded_by=recorded_by,
        created_at=at or timezone.now(),
    )
    Consent.objects.update_or_create(
        person=person,
        purpose=purpose,
        channel=channel,
        defaults={"granted": granted, "event": event, "updated_at": event.created_at},
    )
    return event


def may_contact(*, person, purpose: str, channel: str) -> bool:
    """May we contact this person for this purpose on this channel, now?"""
    return Consent.objects.filter(
        person=person, purpose=purpose, channel=channel, granted=True
    ).exists()


def consent_map(*, person) -> dict[tuple[str, str], bool]:
    """{(purpose, channel): granted} for every answer this person has given."""
    return {
        (c.purpose, c.channel): c.granted
        for c in Consent.objects.filter(person=person).only("purpose", "channel", "granted")
    }


def consented_channels(*, person_ids, purpose: str) -> set[tuple[int, str]]:
    """{(person id, channel)} for which each of `person_ids` currently consents to
    `purpose`: `may_contact` for many people, in one query."""
    return set(
        Consent.objects.filter(
            person_id__in=list(person_ids), purpose=purpose, granted=True
        ).values_list("person_id", "channel")
    )


def with_consent(people: QuerySet, *, purpose: str, channel: str) -> QuerySet:
    """Only the people in `people` who currently consent to `purpose` on `channel`."""
    return people.filter(
        Exists(
            Consent.objects.filter(
                person=OuterRef("pk"), purpose=purpose, channel=channel, granted=True
            )
        )
    )


PURPOSE_PHRASES = {
    Purpose.RAID_ALERTS: _("raid alerts for my area"),
    Purpose.REMINDERS: _("reminders about trainings, shifts and hearings"),
    Purpose.FUNDRAISING: _("fundraising appeals"),
    Purpose.NEWS: _("general news"),
}


def consent_wording(*, purpose: str, channel: str, committee_name: str, granted: bool) -> str:
    """The exact sentence a person agrees to (or withdraws), in the active language.

    It is stored word for word with the event, so that we can always show what
    someone agreed to.
    """
    from django.utils.translation import gettext

    values = {"committee": committee_name, "purpose": PURPOSE_PHRASES[Purpose(purpose)]}
    if not granted:
        if channel == Channel.SMS:
            return (
                gettext("I no longer want %(committee)s to send me %(purpose)s by text message.")
                % values
            )
        return gettext("I no longer want %(committee)s to send me %(purpose)s by email.") % values
    if channel == Channel.SMS:
        return (
            gettext(
                "I agree that %(committee)s may send me %(purpose)s by text message. "
                "I can reply STOP at any time to stop them. Message and data rates may apply."
            )
            % values
        )
    return (
        gettext(
            "I agree that %(committee)s may send me %(purpose)s by email. "
            "I can withdraw this at any time on my profile."
        )
        % values
    )


def consent_wordings(*, committee_name: str) -> list[tuple[str, str, str]]:
    """(purpose, channel, wording) for every consent one can give, in the active language:
    what an organizer reads out before recording a spoken answer."""
    return [
        (
            str(purpose.label),
            str(channel.label),
            consent_wording(
                purpose=purpose, channel=channel, committee_name=committee_name, granted=True
            ),
        )
        for purpose in Purpose
        for channel in Channel
    ]
