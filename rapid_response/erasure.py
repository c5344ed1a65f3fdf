"""What erasing a person removes from the rapid-response part (see members.erasure)."""

from members import erasure


@erasure.register
def erase_rapid_response(person) -> None:
    # Their answers to alerts and confirm requests and their shifts. Log lines keep
    # that something happened, not who (the person link is cleared). Reports are not
    # linked to people; a report from their number keeps only a keyed hash, removed.
    from .models import AlertRecipient, ConfirmerRequest, DispatcherShift, LogEntry, Report

    AlertRecipient.objects.filter(person=person).delete()
    ConfirmerRequest.objects.filter(person=person).delete()
    DispatcherShift.objects.filter(person=person).delete()
    LogEntry.objects.filter(person=person).update(person=None)
    if person.phone_hash:
        Report.objects.filter(
            committee_id=person.committee_id, source_hash=person.phone_hash
        ).update(source_hash="", callback_phone=None)
