"""Numbers that opted out, opted back in, or cannot receive texts.

An opt-out is kept per committee on the number (its lookup hash): the carrier's STOP
applies to the number, whoever it belongs to in our records. Every person record with
that number also gets a consent withdrawal for each SMS purpose they had agreed to,
recorded with the keyword as the wording, so their consent history tells the story.

Opting back in (START, ALTA...) lifts the number's opt-out and restores exactly the
SMS consents the opt-out withdrew: the ones whose current answer is a withdrawal by
keyword. Consent the person never gave, or withdrew some other way (their profile,
an organizer), is not granted by a keyword.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, override

from members.consent import Channel, Consent, ConsentSource, consent_record
from members.models import Person

from ..models import NumberFlag


def _set_flag(*, committee, phone_hash, kind, active, source, reason) -> NumberFlag:
    now = timezone.now()
    fields = {"active": active, "source": source, "reason": reason[:32], "changed_at": now}
    updated = NumberFlag.objects.filter(
        committee=committee, phone_hash=phone_hash, kind=kind
    ).update(**fields)
    if not updated:
        try:
            with transaction.atomic():
                NumberFlag.objects.create(
                    committee=committee, phone_hash=phone_hash, kind=kind, created_at=now, **fields
                )
        except IntegrityError:  # created concurrently: ours is the latest word
            NumberFlag.objects.filter(committee=committee, phone_hash=phone_hash, kind=kind).update(
                **fields
            )
    return NumberFlag.objects.get(committee=committee, phone_hash=phone_hash, kind=kind)


def _people(committee, phone_hash):
    if not phone_hash:
        return Person.objects.none()
    return Person.objects.filter(committee=committee, phone_hash=phone_hash)


@transaction.atomic
def number_opt_out(
    *, committee, phone_hash: str, source: str, reason: str, language: str = "en"
) -> NumberFlag:
    """Stop every SMS to this number from this committee, at once.

    Side effects: the number's opt-out flag set; a consent withdrawal (source: SMS
    keyword) for each SMS purpose each person with this number had agreed to.
    """
    flag = _set_flag(
        committee=committee,
        phone_hash=phone_hash,
        kind=NumberFlag.Kind.OPTED_OUT,
        active=True,
        source=source,
        reason=reason,
    )
    with override(language):
        if source == NumberFlag.Source.PROVIDER:
            wording = gettext("Twilio reported that this number texted STOP (error %(code)s).") % {
                "code": reason
            }
        else:
            wording = gettext('Texted "%(keyword)s" to the committee\'s number.') % {
                "keyword": reason
            }
    granted = Consent.objects.filter(
        person__in=_people(committee, phone_hash), channel=Channel.SMS, granted=True
    ).select_related("person")
    for consent in granted:
        consent_record(
            person=consent.person,
            purpose=consent.purpose,
            channel=Channel.SMS,
            granted=False,
            wording=wording,
            language=language,
            source=ConsentSource.SMS_KEYWORD,
        )
    return flag


@transaction.atomic
def number_opt_in(*, committee, phone_hash: str, keyword: str, language: str = "en") -> NumberFlag:
    """Lift the number's opt-out and restore the SMS consents that the opt-out withdrew."""
    flag = _set_flag(
        committee=committee,
        phone_hash=phone_hash,
        kind=NumberFlag.Kind.OPTED_OUT,
        active=False,
        source=NumberFlag.Source.KEYWORD,
        reason=keyword,
    )
    with override(language):
        wording = gettext('Texted "%(keyword)s" to the committee\'s number.') % {"keyword": keyword}
    withdrawn = Consent.objects.filter(
        person__in=_people(committee, phone_hash),
        channel=Channel.SMS,
        granted=False,
        event__source=ConsentSource.SMS_KEYWORD,
    ).select_related("person")
    for consent in withdrawn:
        consent_record(
            person=consent.person,
            purpose=consent.purpose,
            channel=Channel.SMS,
            granted=True,
            wording=wording,
            language=language,
            source=ConsentSource.SMS_KEYWORD,
        )
    return flag


def number_flag_invalid(*, committee, phone_hash: str, reason: str) -> NumberFlag | None:
    """Twilio says this is not a number that can receive texts: never try it again.

    Changing the person's number (a new hash) is what lifts it.
    """
    if not phone_hash:
        return None
    return _set_flag(
        committee=committee,
        phone_hash=phone_hash,
        kind=NumberFlag.Kind.INVALID,
        active=True,
        source=NumberFlag.Source.PROVIDER,
        reason=reason,
    )
