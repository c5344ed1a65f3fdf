"""The public page's volunteer interest form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.antibot import AntiBotForm
from members.models import Language

from ..models import VolunteerInterest
from .organizers import normalise_phone


class VolunteerForm(AntiBotForm):
    """The public page's volunteer interest form: a name, a phone and/or email, the
    language for messages, what they would like to do, and agreement to be kept and
    contacted; `lib.antibot`'s honeypot and signed time stamp instead of a captcha."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        help_text=_("A first name or nickname is enough."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    language = forms.ChoiceField(label=_("Language for messages"), choices=Language.choices)
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

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please tell us what to call you."))
        return name

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone", ""))

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("phone") and not cleaned.get("email"):
            raise forms.ValidationError(
                _("Give a mobile phone number or an email address, so we can reach you.")
            )
        return cleaned
