"""Forms of legal aid: the public request, the organizer's intake, triage, the case,
hearings and the court-watch report. They parse and check input; services decide."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.antibot import AntiBotForm
from members.models import Language
from members.phones import normalise_phone

from .models import (
    CaseStatus,
    ContactTime,
    HearingKind,
    HelpKind,
    ProceedingType,
    Representation,
    Urgency,
    WatchResult,
)


def text_wording(committee) -> str:
    return str(
        _(
            "It is safe to send me text messages and emails about this request. %(committee)s "
            "will only write about it. Reply STOP to stop text messages at any time."
        )
        % {"committee": committee.name}
    )


class RequestFields(forms.Form):
    """What any intake asks, and nothing else: no immigration status, no A-number."""

    urgency = forms.ChoiceField(
        label=_("How urgent is it?"), choices=Urgency.choices, widget=forms.RadioSelect
    )
    help_kind = forms.ChoiceField(label=_("What kind of help?"), choices=HelpKind.choices)
    for_someone_else = forms.TypedChoiceField(
        label=_("Who needs help?"),
        choices=[("0", _("I do")), ("1", _("Someone else (a relative, a friend)"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="0",
    )
    name = forms.CharField(
        label=_("Name of the person who needs help"),
        max_length=120,
        help_text=_("A first name is enough."),
    )
    contact_name = forms.CharField(
        label=_("Your name (if you ask for someone else)"), max_length=120, required=False
    )
    phone = forms.CharField(
        label=_("Phone to reach you"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    contact_time = forms.ChoiceField(
        label=_("When is it safe to call?"), choices=ContactTime.choices
    )
    may_leave_message = forms.BooleanField(
        label=_("It is safe to leave a voice message"), required=False
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Tell us the name of the person who needs help."))
        return name

    def clean_phone(self):
        raw = self.cleaned_data.get("phone", "")
        if not raw.strip():
            return ""
        phone = normalise_phone(raw)
        if phone is None:
            raise forms.ValidationError(_("Enter a valid phone number, for example 213 555 0123."))
        return phone

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("phone") and not cleaned.get("email"):
            raise forms.ValidationError(
                _("Give a phone number or an email address, so that we can reach you.")
            )
        if cleaned.get("for_someone_else") and not (cleaned.get("contact_name") or "").strip():
            self.add_error("contact_name", _("Tell us your name, so that we know who to call."))
        return cleaned


class PublicRequestForm(RequestFields, AntiBotForm):
    may_text = forms.BooleanField(required=False)

    def __init__(self, *args, committee, **kwargs):
        self.committee = committee
        super().__init__(*args, **kwargs)
        self.fields["may_text"].label = text_wording(committee)

    @property
    def wording(self) -> str:
        return text_wording(self.committee)


class OrganizerRequestForm(RequestFields):
    may_text = forms.BooleanField(
        label=_("The person agreed, when asked, to text messages and emails about the request"),
        required=False,
    )
    note = forms.CharField(
        label=_("Note for the legal team"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only what the team needs to call back. Not immigration status."),
    )


class TeamChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.person.preferred_name


class AcceptForm(forms.Form):
    team = TeamChoiceField(
        label=_("Legal team members"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partner_organization = forms.CharField(
        label=_("Partner legal organization"), max_length=150, required=False
    )
    proceeding_type = forms.ModelChoiceField(label=_("Proceeding"), queryset=None, required=False)

    def __init__(self, *args, members, proceeding_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = members
        self.fields["proceeding_type"].queryset = proceeding_types

    def clean(self):
        cleaned = super().clean()
        if (
            not self.errors
            and not cleaned.get("team")
            and not cleaned.get("partner_organization", "").strip()
        ):
            raise forms.ValidationError(
                _("Assign at least one legal team member or a partner organization.")
            )
        return cleaned


class ReferForm(forms.Form):
    partner = forms.CharField(label=_("Partner organization"), max_length=150)
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class CaseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[c for c in CaseStatus.choices if c[0] != CaseStatus.CLOSED]
    )
    representation = forms.ChoiceField(label=_("Representation"), choices=Representation.choices)
    proceeding_type = forms.ModelChoiceField(
        label=_("Proceeding"), queryset=ProceedingType.objects.none(), required=False
    )
    a_number = forms.CharField(
        label=_("A-number"),
        max_length=16,
        required=False,
        help_text=_("9 digits; an 8-digit number gets a leading 0."),
    )
    detention_facility = forms.CharField(
        label=_("Detention facility"), max_length=200, required=False
    )
    notes = forms.CharField(
        label=_("Case notes"), max_length=10000, required=False, widget=forms.Textarea
    )

    def __init__(self, *args, proceeding_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proceeding_type"].queryset = proceeding_types

    def clean_a_number(self):
        from django.core.exceptions import ValidationError

        from .services import normalise_a_number

        try:
            return normalise_a_number(self.cleaned_data.get("a_number", ""))
        except ValidationError as error:
            raise forms.ValidationError(error.messages[0]) from error


class LocalDateTimeField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
        super().__init__(*args, **kwargs)


def in_committee_time(value: datetime | None, committee) -> datetime | None:
    """A naive date and time typed in the committee's time zone, made aware."""
    if value is None:
        return None
    if timezone.is_aware(value):
        value = timezone.make_naive(value, timezone.get_current_timezone())
    return timezone.make_aware(value, ZoneInfo(committee.timezone))


class HearingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=HearingKind.choices)
    starts_at = LocalDateTimeField(label=_("Date and time"))
    place = forms.CharField(label=_("Court or ICE office"), max_length=200)
    judge = forms.CharField(label=_("Judge (optional)"), max_length=120, required=False)
    meeting_point = forms.CharField(
        label=_("Where accompaniers meet"), max_length=200, required=False
    )
    accompaniers_needed = forms.IntegerField(
        label=_("Accompaniers needed"), min_value=0, max_value=10, initial=0
    )
    accompaniment_language = forms.ChoiceField(
        label=_("Accompaniers must speak"), choices=Language.choices
    )


class MoveForm(forms.Form):
    starts_at = LocalDateTimeField(label=_("New date and time"))
    place = forms.CharField(
        label=_("Court or ICE office (if it changed)"), max_length=200, required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class AddressChangeForm(forms.Form):
    moved_on = forms.DateField(label=_("Moved on"), widget=forms.DateInput(attrs={"type": "date"}))


class DocumentForm(forms.Form):
    upload = forms.FileField(label=_("File (PDF, JPEG or PNG, 4 MB at most)"))


class CourtWatchForm(forms.Form):
    result = forms.ChoiceField(
        label=_("What happened?"), choices=WatchResult.choices, widget=forms.RadioSelect
    )
    postponed_to = LocalDateTimeField(label=_("Postponed to (if known)"), required=False)
    interpreter_provided = forms.TypedChoiceField(
        label=_("Was an interpreter provided?"),
        choices=[("", _("Not sure")), ("1", _("Yes")), ("0", _("No"))],
        coerce=lambda v: {"1": True, "0": False}.get(v),
        empty_value=None,
        required=False,
    )
    notes = forms.CharField(
        label=_("Anything to report"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SettingsForm(forms.Form):
    retention_days = forms.IntegerField(
        label=_("Days a closed case keeps its contents"), min_value=30, max_value=3650
    )
    team_phone = forms.CharField(
        label=_("Legal team's phone, shown to accompaniers"), max_length=32, required=False
    )
