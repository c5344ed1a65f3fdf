"""What every trainings view shares: rendering in the committee's time zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from committees import confirm

PAGE_SIZE = 50


def _render(request, committee, template, context, status=200):
    """Render with times shown in the committee's time zone."""
    with timezone.override(ZoneInfo(committee.timezone)):
        return render(request, template, context, status=status)


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def reminders_wording() -> str:
    """The sentence next to the one-tap button, recorded as the consent wording."""
    return _(
        "Send me reminders about trainings I sign up for, by text message and email, "
        "to the phone and email on my profile. I can stop them at any time (reply STOP)."
    )


def _ask_give_up(request, training, *, cancel_url):
    """The confirmation page before giving up a seat, an offer or a waitlist place."""
    consequences = [
        _("Your place at “%(title)s” is given up.") % {"title": training.title},
        _("If someone is on the waitlist, they are offered your seat at once."),
        _("You can sign up again later if there is still room, at the end of the waitlist."),
    ]
    return _render(
        request,
        training.committee,
        "confirm.html",
        {
            "confirmation": confirm.Confirmation(
                title=_("Give up your place?"),
                consequences=consequences,
                button=_("Yes, give up my place"),
                cancel_url=cancel_url,
            ),
            "confirm_field": confirm.CONFIRM_FIELD,
            "confirm_value": confirm.CONFIRM_VALUE,
        },
    )
