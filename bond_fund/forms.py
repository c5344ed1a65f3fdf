"""Forms of the bond fund's pages. Amounts are typed in dollars ("1,500" or "1500.00")
and handed to the services in cents."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.antibot import AntiBotForm
from members.forms import PublicContactFields
from members.models import Language

from .models import (
    BondType,
    DocumentKind,
    ObligorKind,
    PaymentMethod,
    Priority,
)
from .services.money import money, parse_money


class MoneyField(forms.CharField):
    def __init__(self, *args, minimum_cents=1, **kwargs):
        # No max_length: its validator runs on the cleaned value, here an int of cents.
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "maxlength": "20"})
        )
        self.minimum_cents = minimum_cents
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return money(value).lstrip("$")
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        cents = parse_money(text) if len(text) <= 20 else None
        if cents is None:
            raise forms.ValidationError(_("Enter an amount in dollars, like 1,500 or 200.50."))
        if cents < self.minimum_cents:
            raise forms.ValidationError(
                _("Enter at least %(minimum)s.") % {"minimum": money(self.minimum_cents)}
            )
        return cents


class KeyedForm(forms.Form):
    """Carries an idempotency key chosen when the page was shown: a double click or a
    browser retry sends the same key, and the service does the thing once."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("key", uuid.uuid4().hex)


class BondRequestForm(forms.Form):
    case_id = forms.TypedChoiceField(label=_("Legal case"), coerce=int)
    bond_type = forms.ChoiceField(label=_("Bond type"), choices=BondType.choices)
    amount = MoneyField(
        label=_("Amount set by ICE or the judge"),
        required=False,
        help_text=_("Leave empty if it is not set yet. Delivery bonds start at $1,500.00."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_id"].choices = [("", "—")] + list(cases)


class BondEditForm(forms.Form):
    bond_type = forms.ChoiceField(label=_("Bond type"), choices=BondType.choices)
    amount_cents = MoneyField(label=_("Amount"), required=False)
    facility = forms.CharField(label=_("Detention facility"), max_length=200, required=False)
    obligor_name = forms.CharField(
        label=_("Obligor"),
        max_length=200,
        required=False,
        help_text=_("Who signs the I-352 and posts the bond."),
    )
    obligor_kind = forms.ChoiceField(
        label=_("Obligor is"), choices=[("", "—"), *ObligorKind.choices], required=False
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    priority_reason = forms.CharField(label=_("Why it cannot wait"), max_length=300, required=False)
    story_en = forms.CharField(
        label=_("Public story in English"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the pledge page. No names, no A-numbers, no facility."),
    )
    story_es = forms.CharField(
        label=_("Public story in Spanish"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Form"), choices=DocumentKind.choices)
    upload = forms.FileField(label=_("File (PDF or photo)"))
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("received_on", timezone.localdate())


class RefundForm(KeyedForm):
    interest = MoneyField(label=_("Interest paid by ICE"), required=False, minimum_cents=0)


class ThresholdForm(forms.Form):
    threshold = MoneyField(label=_("Second approval needed above"), minimum_cents=0)


class ReversalForm(forms.Form):
    reason = forms.CharField(label=_("Why is this being corrected?"), max_length=300)


class DeadlineForm(forms.Form):
    deadline_on = forms.DateField(
        label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("What is due"),
        max_length=200,
        help_text=_("For example: I-340, deliver the person by this date."),
    )


class PaymentForm(KeyedForm):
    amount = MoneyField(label=_("Amount received"))
    fee = MoneyField(label=_("Processor fee"), required=False, minimum_cents=0)
    method = forms.ChoiceField(label=_("How"), choices=PaymentMethod.choices)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=100,
        required=False,
        help_text=_("Check number, transfer or payout id."),
    )
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("received_on", timezone.localdate())


def clean_phone(raw: str) -> str:
    from members.phones import normalise_phone

    if not (raw or "").strip():
        return ""
    phone = normalise_phone(raw)
    if phone is None:
        raise forms.ValidationError(
            _("Enter a valid mobile phone number, for example 213 555 0123.")
        )
    return phone


def _due_default():
    return timezone.localdate() + timedelta(days=14)


class PledgeFields(forms.Form):
    amount = MoneyField(label=_("Amount"), minimum_cents=1_00)
    due_on = forms.DateField(label=_("Pay by"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("due_on", _due_default())

    def clean_due_on(self):
        due = self.cleaned_data["due_on"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the past."))
        if due > timezone.localdate() + timedelta(days=730):
            raise forms.ValidationError(_("Choose a date within two years."))
        return due


class TreasurerPledgeForm(PledgeFields):
    name = forms.CharField(label=_("Name"), max_length=120)
    phone = forms.CharField(label=_("Mobile phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    language = forms.ChoiceField(label=_("Language for messages"), choices=Language.choices)
    bond_id = forms.TypedChoiceField(label=_("For"), coerce=int, required=False, empty_value=None)
    instalments = forms.IntegerField(label=_("Instalments"), min_value=1, max_value=24, initial=1)
    consent = forms.BooleanField(
        label=_("They agreed to receive fundraising messages (reminders, receipts)."),
        required=False,
    )

    field_order = ["name", "phone", "email", "language", "amount", "due_on", "bond_id"]

    def __init__(self, *args, bonds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bond_id"].choices = [("", _("The general fund"))] + [
            (b.pk, _("Bond #%(id)s") % {"id": b.pk}) for b in bonds
        ]

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone", ""))

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("phone") and not cleaned.get("email"):
            raise forms.ValidationError(_("Give a mobile phone number or an email address."))
        return cleaned


class PublicPledgeForm(PublicContactFields, AntiBotForm, PledgeFields):
    """The public pledge: a promise, not a payment. The anti-bot fields (honeypot, signed
    time stamp) come from lib.antibot."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        help_text=_("A first name is enough. It is not shown on this page."),
    )
    public_name = forms.CharField(
        label=_("Show my name as a supporter (optional)"),
        max_length=80,
        required=False,
        help_text=_("Leave empty to give anonymously."),
    )
    on_call = forms.BooleanField(label=_("Text me when another bond needs money."), required=False)
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Please tick the box so we can send you reminders.")},
    )

    field_order = ["amount", "due_on", "name", "phone", "email", "language", "public_name"]

    def __init__(self, *args, committee, **kwargs):
        self.committee = committee
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = self.wording

    @property
    def wording(self) -> str:
        return str(
            _(
                "I agree that %(committee)s may send me text messages and emails about my "
                "pledge: reminders and a receipt. Reply STOP to stop text messages."
            )
            % {"committee": self.committee.name}
        )
