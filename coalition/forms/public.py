"""The public page's volunteer interest form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.antibot import AntiBotForm
from members.forms import PublicContactFields

from ..models import VolunteerInterest


class VolunteerForm(PublicContactFields, AntiBotForm):
    """The public page's volunteer interest form: a name, a phone and/or email, the
    language for messages, what they would like to do, and agreement to be kept and
    contacted; `lib.antibot`'s honeypot and signed time stamp instead of a captcha."""

    missing_contact_message = _(
        "Give a mobile phone number or an email address, so we can reach you."
    )

    interests = forms.MultipleChoiceField(
        label=_("How would you like to help?"),
        choices=VolunteerInterest.Interest.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one way to help.")},
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={
            "required": _("Please tick the box so that we may keep your details and contact you.")
        },
    )

    def __init__(self, *args, committee, **kwargs):
        self.committee = committee
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = self.wording

    @property
    def wording(self) -> str:
        return str(
            _(
                "I agree that %(committee)s keeps my name and contact and may contact me "
                "about volunteering."
            )
            % {"committee": self.committee.name}
        )
