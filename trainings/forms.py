from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committees.roles import MembershipStatus, Role
from lib.antibot import AntiBotForm
from lib.dates import local, local_datetime
from members.forms import PublicContactFields
from members.models import Language, Person

from .models import Kind, Training, Visibility
from .services import MAX_DAYS_AHEAD, MAX_SERIES_SESSIONS


def consent_wording(committee) -> str:
    """The consent sentence, in the active language, exactly as the form shows it."""
    return str(
        _(
            "I agree that %(committee)s may send me text messages and emails about this "
            "training: a confirmation, reminders and changes. Message and data rates may "
            "apply. Reply STOP to stop text messages at any time."
        )
        % {"committee": committee.name}
    )


def walk_in_wording(committee) -> str:
    return str(
        _(
            "The person agreed, in person, that %(committee)s keeps their name and contact "
            "and may send them messages about trainings."
        )
        % {"committee": committee.name}
    )


class ContactFields(PublicContactFields):
    missing_contact_message = _(
        "Give a mobile phone number or an email address, so we can confirm your place."
    )


class PublicSignUpForm(ContactFields, AntiBotForm):
    """Name, phone and/or email, language and consent; `lib.antibot`'s honeypot and
    signed time stamp instead of a third-party captcha."""

    consent = forms.BooleanField(
        required=True,
        error_messages={
            "required": _("Please tick the box to agree to messages about this training.")
        },
    )

    def __init__(self, *args, committee, **kwargs):
        self.committee = committee
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_wording(committee)

    @property
    def wording(self) -> str:
        return consent_wording(self.committee)


class WalkInForm(ContactFields):
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Ask the person, and tick the box when they agree.")},
    )

    def __init__(self, *args, committee, **kwargs):
        self.committee = committee
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Name")
        self.fields["name"].help_text = ""
        self.fields["phone"].label = _("Mobile phone (optional)")
        self.fields["email"].label = _("Email (optional)")
        self.fields["language"].label = _("Language")
        self.fields["consent"].label = walk_in_wording(committee)

    def clean(self):
        # A walk-in may leave no contact at all: attendance still counts.
        return forms.Form.clean(self)

    @property
    def wording(self) -> str:
        return walk_in_wording(self.committee)


class NoteForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TrainerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        return person.preferred_name


class TrainingForm(forms.Form):
    """Organizers type local dates and times; the service stores them in UTC."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    title_es = forms.CharField(label=_("Title in Spanish"), max_length=150, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=150, required=False)
    description_es = forms.CharField(
        label=_("Description in Spanish"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description_en = forms.CharField(
        label=_("Description in English"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    language = forms.ChoiceField(label=_("Given in"), choices=Language.choices)
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    weeks = forms.IntegerField(
        label=_("Number of weekly sessions"),
        min_value=1,
        max_value=MAX_SERIES_SESSIONS,
        initial=1,
        help_text=_("For example 6 to repeat it every week, same day and time, six times."),
    )
    place_name = forms.CharField(
        label=_("Place"),
        max_length=150,
        required=False,
        help_text=_("For example the name of a church or a union hall."),
    )
    address = forms.CharField(label=_("Address"), max_length=250, required=False)
    address_private = forms.BooleanField(
        label=_("Show the address only to people who have a seat"), required=False, initial=True
    )
    online_url = forms.URLField(
        label=_("Online link"), max_length=500, required=False, assume_scheme="https"
    )
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=10000)
    visibility = forms.ChoiceField(
        label=_("Who can sign up"), choices=Visibility.choices, widget=forms.RadioSelect
    )
    signup_closed = forms.BooleanField(label=_("Sign-up closed"), required=False)
    trainers = TrainerChoiceField(
        label=_("Trainers"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, committee, editing: Training | None = None, **kwargs):
        self.committee = committee
        self.editing = editing
        super().__init__(*args, **kwargs)
        self.fields["trainers"].queryset = (
            Person.objects.filter(
                committee=committee,
                membership__status=MembershipStatus.VETTED,
                membership__roles__role__in=[Role.TRAINER, Role.COORDINATOR],
            )
            .distinct()
            .order_by("preferred_name", "id")
        )
        if editing is not None:
            del self.fields["weeks"]

    def clean_day(self):
        """Between yesterday and two years ahead (an existing training may keep its
        own date): a typo such as 9999-12-31 gets a clear answer, not an error page."""
        day = self.cleaned_data["day"]
        zone = ZoneInfo(self.committee.timezone)
        today = timezone.localdate(timezone=zone)
        earliest, latest = today - timedelta(days=1), today + timedelta(days=MAX_DAYS_AHEAD)
        if self.editing is not None and day == self.editing.starts_at.astimezone(zone).date():
            return day
        if not earliest <= day <= latest:
            raise forms.ValidationError(
                _("Choose a date between yesterday and two years from today.")
            )
        return day

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The training must end after it starts."))
        if day and start and end:
            cleaned["starts_at"] = local_datetime(self.committee, day, start)
            cleaned["ends_at"] = local_datetime(self.committee, day, end)
        return cleaned

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("day", "start_time", "end_time"):
            data.pop(name, None)
        return data

    @classmethod
    def initial_for(cls, training: Training) -> dict:
        starts, ends = (
            local(training.starts_at, training.committee),
            local(training.ends_at, training.committee),
        )
        initial = {
            name: getattr(training, name)
            for name in (
                "kind",
                "title_es",
                "title_en",
                "description_es",
                "description_en",
                "language",
                "place_name",
                "address",
                "address_private",
                "online_url",
                "capacity",
                "visibility",
                "signup_closed",
            )
        }
        initial.update(
            day=starts.date(),
            start_time=starts.time(),
            end_time=ends.time(),
            trainers=list(training.trainers.all()),
        )
        return initial
