from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from . import availability, selectors
from .consent import Channel, Purpose
from .filters import consent_choices
from .models import Language, Person
from .phones import normalise_phone


class LabelledChoiceField(forms.ModelMultipleChoiceField):
    """Checkboxes labelled in the reader's language (skills, languages)."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return getattr(obj, "label", str(obj))


def availability_choices():
    return [
        (
            day_label,
            [(availability.slot(day, part), part_label) for part, part_label in availability.PARTS],
        )
        for day, day_label in availability.WEEKDAYS
    ]


class PersonForm(forms.Form):
    """A person's details, for an organizer (with notes) or on one's own profile."""

    preferred_name = forms.CharField(
        label=_("Preferred name"),
        max_length=120,
        help_text=_("What they like to be called. A first name or nickname is enough."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    phone = PhoneNumberField(
        label=_("Mobile phone"),
        required=False,
        help_text=_("US numbers without +1, others with their country code."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    language = forms.ChoiceField(
        label=_("Language for messages"), choices=Language.choices, widget=forms.RadioSelect
    )
    other_languages = LabelledChoiceField(
        label=_("Other languages spoken"), queryset=None, required=False
    )
    skills = LabelledChoiceField(label=_("Skills"), queryset=None, required=False)
    zones = forms.ModelMultipleChoiceField(
        label=_("Zones"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Neighbourhoods where this person can respond. Never a home address."),
    )
    availability = forms.MultipleChoiceField(
        label=_("Usually available"),
        choices=availability_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Coordinator notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Only coordinators see these notes. Never write immigration status or a home address."
        ),
    )

    def __init__(self, *args, viewer, include_notes=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other_languages"].queryset = selectors.spoken_languages()
        self.fields["skills"].queryset = selectors.skill_list(viewer=viewer)
        self.fields["zones"].queryset = selectors.zone_choices(viewer=viewer)
        if not include_notes:
            del self.fields["notes"]

    @staticmethod
    def initial_for(person: Person, *, include_notes=False) -> dict:
        initial = {
            "preferred_name": person.preferred_name,
            "full_name": person.full_name,
            "phone": person.phone or "",
            "email": person.email or "",
            "language": person.language,
            "other_languages": list(person.other_languages.all()),
            "skills": list(person.skills.all()),
            "zones": list(person.zones.all()),
            "availability": availability.to_slots(person.availability),
        }
        if include_notes:
            initial["notes"] = person.notes or ""
        return initial

    def clean_preferred_name(self):
        name = self.cleaned_data["preferred_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please enter a name."))
        return name

    def service_fields(self) -> dict:
        """The cleaned values, as services.person_create / person_update take them."""
        data = dict(self.cleaned_data)
        data["phone"] = data["phone"].as_e164 if data.get("phone") else None
        data["email"] = data.get("email") or None
        data["availability"] = availability.to_mask(data.get("availability"))
        return data


class SpokenConsentForm(forms.Form):
    # Several at once: "yes to reminders and news, by text and email" is one answer.
    purpose = forms.MultipleChoiceField(
        label=_("For"), choices=Purpose.choices, widget=forms.CheckboxSelectMultiple
    )
    channel = forms.MultipleChoiceField(
        label=_("By"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple
    )
    granted = forms.TypedChoiceField(
        label=_("Their answer"),
        choices=[("yes", _("Yes, they agree")), ("no", _("No, or they withdraw"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class ProfileConsentForm(forms.Form):
    purpose = forms.ChoiceField(choices=Purpose.choices, widget=forms.HiddenInput)
    channel = forms.ChoiceField(choices=Channel.choices, widget=forms.HiddenInput)
    granted = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1"
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=_("UTF-8 CSV (in Excel: “CSV UTF-8”), at most 5 MB."),
    )


class ImportConfirmForm(forms.Form):
    UPDATE, REPLACE, SKIP = "update", "replace", "skip"

    existing = forms.ChoiceField(
        label=_("People already in the directory (same phone or email)"),
        choices=[
            (UPDATE, _("Add the new details from the file, but keep their names")),
            (REPLACE, _("Replace their details with the file's, names included")),
            (SKIP, _("Leave them as they are")),
        ],
        initial=UPDATE,
        widget=forms.RadioSelect,
    )
    consent = forms.MultipleChoiceField(
        label=_("What did the people in this file agree to?"),
        choices=consent_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick only what the sign-up sheet asked. If the file has a consent column, only "
            "the rows that say yes are recorded. An import never overrides someone who said no."
        ),
    )
    wording = forms.CharField(
        label=_("The exact wording they agreed to"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    wording_language = forms.ChoiceField(
        label=_("Language of that wording"), choices=Language.choices, widget=forms.RadioSelect
    )
    confirm = forms.BooleanField(
        label=_("I confirm that these people agreed to this wording."), required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consent"):
            if not (cleaned.get("wording") or "").strip():
                self.add_error("wording", _("Copy here the wording printed on the sign-up sheet."))
            if not cleaned.get("confirm"):
                self.add_error("confirm", _("Confirm that they agreed, or untick the consent."))
        return cleaned

    def consent_pairs(self) -> list[tuple[str, str]]:
        return [tuple(value.split(":", 1)) for value in self.cleaned_data.get("consent", [])]


class SkillForm(forms.Form):
    name_en = forms.CharField(label=_("Name in English"), max_length=60)
    name_es = forms.CharField(label=_("Name in Spanish"), max_length=60)


# Ids are 64-bit: a longer number is no id of ours (and overflows the database driver).
MAX_ID = 2**63 - 1


class IdChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and (
            not str(value).isdigit() or int(str(value)) > MAX_ID
        ):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class AuditFilterForm(forms.Form):
    """The audit page's filters: about whom, who looked, and what kind of read or move."""

    person = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    actor = IdChoiceField(
        queryset=Person.objects.none(), required=False, label=_("Who"), empty_label=_("Anyone")
    )
    kind = forms.ChoiceField(required=False, label=_("What"))

    def __init__(self, *args, viewer, **kwargs):
        from .audit import KIND_LABELS

        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = selectors.audit_actors(viewer=viewer)
        kinds = sorted(((kind, str(label)) for kind, label in KIND_LABELS.items()), key=_second)
        self.fields["kind"].choices = [("", _("Anything")), *kinds]

    def filters(self) -> dict:
        """The valid filters as `selectors.audit_events` keywords (bad input: none)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "person_id": data.get("person"),
            "actor_id": data["actor"].pk if data.get("actor") else None,
            "kind": data.get("kind") or None,
        }


def _second(pair):
    return pair[1]


class PublicContactFields(forms.Form):
    """What every public form asks to reach someone: a name, a mobile phone and/or an
    email, and the language for messages. One phone normaliser, and only numbers in a
    country the committee texts (`self.committee`, when the form has one)."""

    # Said when neither a phone nor an email was given; a form may say why it needs one.
    missing_contact_message = _("Give a mobile phone number or an email address.")

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

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please tell us what to call you."))
        return name

    def clean_phone(self):
        raw = (self.cleaned_data.get("phone") or "").strip()
        if not raw:
            return ""
        phone = normalise_phone(raw)
        if phone is None:
            raise forms.ValidationError(
                _("Enter a valid mobile phone number, for example 213 555 0123.")
            )
        committee = getattr(self, "committee", None)
        if committee is not None and not committee.texts_number(phone):
            raise forms.ValidationError(
                _(
                    "We cannot send text messages to this country. Give a local mobile "
                    "number, or an email address instead."
                )
            )
        return phone

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("phone") and not cleaned.get("email"):
            raise forms.ValidationError(self.missing_contact_message)
        return cleaned
