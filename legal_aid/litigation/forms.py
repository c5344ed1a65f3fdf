"""Forms of impact litigation. They parse and check input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Language

from ..models import (
    ClaimKind,
    Conduct,
    CounselRole,
    KeyDateKind,
    MatterDocumentKind,
    MatterStatus,
    SourceKind,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MatterForm(forms.Form):
    public_name = forms.CharField(
        label=_("Name the committee sees"),
        max_length=120,
        help_text=_("Coordinators see this name and the status, nothing else."),
    )
    claim_kind = forms.ChoiceField(label=_("Kind of claim"), choices=ClaimKind.choices)
    claim = forms.CharField(
        label=_("Claim (encrypted)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    parties = forms.CharField(
        label=_("Parties (encrypted)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    court = forms.CharField(label=_("Court"), max_length=200, required=False)
    case_number = forms.CharField(
        label=_("Case number (once filed)"), max_length=60, required=False
    )


class MatterEditForm(MatterForm):
    status = forms.ChoiceField(label=_("Status"), choices=MatterStatus.choices)


class TeamMemberForm(forms.Form):
    membership = forms.ChoiceField(label=_("Legal member"))
    role = forms.ChoiceField(label=_("Role"), choices=CounselRole.choices)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [(m.pk, m.person.preferred_name) for m in members]


class PartnerAttorneyForm(forms.Form):
    partner = forms.TypedChoiceField(label=_("Partner legal organization"), coerce=int)
    name = forms.CharField(label=_("Attorney's name"), max_length=120)
    email = forms.EmailField(label=_("Attorney's email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=CounselRole.choices)

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = list(partners)


class KeyDateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of date"), choices=KeyDateKind.choices)
    due_on = forms.DateField(label=_("Date"), widget=DateInput())
    label = forms.CharField(label=_("What (optional)"), max_length=200, required=False)
    remind_days_before = forms.IntegerField(
        label=_("Remind the team this many days before"), min_value=0, max_value=90, initial=7
    )


class MatterDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=MatterDocumentKind.choices)
    upload = forms.FileField(label=_("File (PDF, JPEG or PNG, 4 MB at most)"))


class EvidenceForm(forms.Form):
    source = forms.ChoiceField(label=_("Record"))
    conduct = forms.ChoiceField(label=_("Conduct it shows"), choices=Conduct.choices)
    note = forms.CharField(
        label=_("Why it matters (encrypted)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, kind: str, records=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["source"].label = SourceKind(kind).label
        self.fields["source"].choices = [(str(pk), label) for pk, label in records]


class ProposeForm(forms.Form):
    """From another part's record: which of my matters it may be evidence for."""

    matter = forms.TypedChoiceField(label=_("Matter"), coerce=int)
    conduct = forms.ChoiceField(label=_("Conduct it shows"), choices=Conduct.choices)
    note = forms.CharField(
        label=_("Why it matters (encrypted)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, matters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].choices = [(m.pk, f"#{m.pk} {m.public_name}") for m in matters]


class DeclarantForm(forms.Form):
    candidate = forms.ChoiceField(label=_("Someone who was there"))

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].choices = list(candidates)


class InPersonConsentForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language they were asked in"), choices=Language.choices, initial="es"
    )
    granted = forms.TypedChoiceField(
        label=_("Their answer"),
        choices=[("1", _("They agree")), ("0", _("They do not agree"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
