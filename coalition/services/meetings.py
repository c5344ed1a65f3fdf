"""Meetings with officials and law enforcement, and their follow-ups."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action, Viewer
from notifications.services import message_queue

from ..models import FollowUp, Meeting
from ..selectors import coalition_members

PURPOSE = "reminders"


@transaction.atomic
def meeting_save(
    *,
    actor: Viewer,
    meeting: Meeting | None = None,
    title: str,
    held_on: date,
    agency=None,
    partner=None,
    attendees=(),
    others_present: str = "",
    asked: str = "",
    answered: str = "",
) -> Meeting:
    actor.require(Action.MANAGE_COALITION)
    committee_id = actor.committee.pk
    for obj in (meeting, agency, partner, *attendees):
        if obj is not None and obj.committee_id != committee_id:
            raise ValidationError(_("This is not in your committee."))
    meeting = meeting or Meeting(committee=actor.committee, organizer=actor.membership)
    meeting.title, meeting.held_on = title.strip(), held_on
    meeting.agency, meeting.partner = agency, partner
    meeting.others_present = others_present.strip()
    meeting.asked, meeting.answered = asked.strip() or None, answered.strip() or None
    meeting.save()
    meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def follow_up_add(*, actor: Viewer, meeting: Meeting, text: str, owner, due_on: date) -> FollowUp:
    """A follow-up owned by a vetted member of the committee; they are reminded once."""
    actor.require(Action.MANAGE_COALITION)
    if meeting.committee_id != actor.committee.pk or owner.committee_id != actor.committee.pk:
        raise ValidationError(_("This is not in your committee."))
    if not coalition_members(committee=actor.committee).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("Choose someone who can open the coalition part.")})
    return FollowUp.objects.create(meeting=meeting, text=text.strip(), owner=owner, due_on=due_on)


@transaction.atomic
def follow_up_done(*, actor: Viewer, follow_up: FollowUp) -> FollowUp:
    """The owner (or a coordinator) marks it done: it is not reminded any more."""
    if actor.membership is None or (
        follow_up.owner_id != actor.membership.pk and not actor.can(Action.MANAGE_COALITION)
    ):
        raise ValidationError(_("Only its owner or a coordinator can mark this done."))
    FollowUp.objects.filter(pk=follow_up.pk, done_at__isnull=True).update(done_at=timezone.now())
    follow_up.refresh_from_db()
    return follow_up


def follow_ups_remind(*, today: date | None = None) -> int:
    """Remind the owner of every open follow-up due today or overdue, once each.

    The follow-up is claimed (reminded_at) in the same transaction as its outbox row,
    and the message's idempotency key is the follow-up's id: a sweep that runs twice or
    concurrently sends one reminder. The message is in the owner's language."""
    today = today or timezone.localdate()
    with transaction.atomic():
        due = list(
            FollowUp.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(done_at__isnull=True, reminded_at__isnull=True, due_on__lte=today)
            .select_related("owner__person__committee", "meeting")
            .order_by("due_on", "id")[:500]
        )
        now = timezone.now()
        for follow_up in due:
            message_queue(
                person=follow_up.owner.person,
                purpose=PURPOSE,
                template="coalition_follow_up",
                context={
                    "text": follow_up.text,
                    "meeting": follow_up.meeting.title,
                    "due_on": follow_up.due_on,
                },
                idempotency_key=f"coalition:follow-up:{follow_up.pk}",
            )
        FollowUp.objects.filter(pk__in=[f.pk for f in due]).update(reminded_at=now)
    return len(due)
