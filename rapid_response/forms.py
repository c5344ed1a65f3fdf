"""Forms of the rapid-response pages. The public report form asks for the least that
works: the area, cross streets, what is happening, an optional callback number."""

from __future__ import annotations

import re

import phonenumbers
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from members.models import Language

from .models import Agency, AlertNotice, FalseAlarmReason, IncidentStatus, ObserverLog
from .shared import AntiBotForm

# "1234 Main St": a house number. We keep areas, never addresses.
HOUSE_NUMBER = re.compile(r"^\s*#?\d{1,6}[a-z]?\s+\S", re.IGNORECASE)


def normalise_phone(raw: str) -> str:
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(_("Enter a valid phone number, for example 213 555 0123."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class ZoneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, zone):
        return zone.name


class ReportFields(forms.Form):
    zone = ZoneChoiceField(
        label=_("Area"), queryset=None, required=False, empty_label=_("Not sure")
    )
    cross_streets = forms.CharField(
        label=_("Cross streets or a landmark"),
        max_length=120,
        help_text=_("For example: 4th St and Cesar Chavez Ave. Never a home address."),
    )
    activity = forms.CharField(
        label=_("What is happening?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you see: agents stopping people, a van waiting, a door knocked on..."),
    )
    agencies = forms.MultipleChoiceField(
        label=_("Who are they?"),
        choices=Agency.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    size = forms.CharField(label=_("How many agents?"), max_length=60, required=False)
    vehicles = forms.CharField(label=_("Vehicles or equipment"), max_length=120, required=False)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.committee = committee
        self.fields["zone"].queryset = committee.zones.order_by("name")

    def clean_cross_streets(self):
        value = " ".join(self.cleaned_data["cross_streets"].split())
        if HOUSE_NUMBER.match(value):
            raise forms.ValidationError(
                _("Please give cross streets or a landmark, not a house number.")
            )
        return value

    def clean_activity(self):
        value = self.cleaned_data["activity"].strip()
        if not value:
            raise forms.ValidationError(_("Tell us briefly what you see."))
        return value


class PublicReportForm(ReportFields, AntiBotForm):
    callback = forms.CharField(
        label=_("Your phone number (optional)"),
        max_length=32,
        required=False,
        help_text=_("Only if you want a call back. It is deleted after a few weeks."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=Language.choices, widget=forms.HiddenInput
    )

    def clean_callback(self):
        return normalise_phone(self.cleaned_data.get("callback", ""))


class DispatcherReportForm(ReportFields):
    uniforms = forms.CharField(label=_("Uniforms, markings"), max_length=120, required=False)
    seen_minutes_ago = forms.IntegerField(
        label=_("Seen how many minutes ago?"), min_value=0, max_value=24 * 60, required=False
    )
    callback = forms.CharField(
        label=_("Caller's number for a call back (optional)"), max_length=32, required=False
    )
    language = forms.ChoiceField(label=_("Caller's language"), choices=Language.choices)

    def clean_callback(self):
        return normalise_phone(self.cleaned_data.get("callback", ""))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=IncidentStatus.choices)
    reason = forms.ChoiceField(
        label=_("Why a false alarm?"),
        choices=[("", "—"), *FalseAlarmReason.choices],
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ZoneForm(forms.Form):
    zone = ZoneChoiceField(label=_("Zone"), queryset=None)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = committee.zones.order_by("name")


class AlertForm(forms.Form):
    zones = forms.MultipleChoiceField(
        label=_("Also alert these neighbouring zones"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    where = forms.CharField(
        label=_("Where (cross streets, no address)"), max_length=80, required=False
    )
    agencies = forms.MultipleChoiceField(
        label=_("Agencies seen"),
        choices=Agency.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, incident, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zones"].choices = [
            (z.pk, z.name)
            for z in incident.committee.zones.exclude(pk=incident.zone_id).order_by("name")
        ]

    def clean_where(self):
        value = " ".join(self.cleaned_data["where"].split())
        if HOUSE_NUMBER.match(value):
            raise forms.ValidationError(_("Cross streets only: no house numbers in an alert."))
        return value


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(choices=AlertNotice.Kind.choices, widget=forms.HiddenInput)
    text_en = forms.CharField(label=_("Update in English"), max_length=300, required=False)
    text_es = forms.CharField(label=_("Update in Spanish"), max_length=300, required=False)


class ObserverForm(forms.Form):
    agencies = forms.MultipleChoiceField(
        label=_("Agencies present"),
        choices=Agency.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    warrant = forms.ChoiceField(
        label=_("Warrant"), choices=ObserverLog.Warrant.choices, widget=forms.RadioSelect
    )
    detained_count = forms.IntegerField(
        label=_("How many people were detained?"), min_value=0, max_value=500, initial=0
    )
    note = forms.CharField(
        label=_("What happened (no names)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HandoffForm(forms.Form):
    name = forms.CharField(
        label=_("Family contact's name (optional)"), max_length=120, required=False
    )
    phone = forms.CharField(
        label=_("Family contact's phone (optional)"), max_length=32, required=False
    )
    language = forms.ChoiceField(label=_("Their language"), choices=Language.choices)
    note = forms.CharField(
        label=_("For the legal team"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone", ""))


class BondForm(forms.Form):
    case = forms.TypedChoiceField(label=_("Legal case"), coerce=int)
    amount = forms.IntegerField(
        label=_("Bond amount in dollars (if known)"),
        min_value=0,
        max_value=1_000_000,
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = cases


class ShiftForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Dispatcher"), coerce=int)
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.preferred_name) for p in people]


class SettingsForm(forms.Form):
    alert_expiry_minutes = forms.IntegerField(
        label=_("Alerts expire after (minutes)"), min_value=10, max_value=24 * 60
    )
    retention_days = forms.IntegerField(
        label=_("Keep reporters' numbers and report details for (days)"),
        min_value=1,
        max_value=365,
    )
    claim_stale_minutes = forms.IntegerField(
        label=_("A claim may be taken over after (minutes)"), min_value=1, max_value=240
    )
