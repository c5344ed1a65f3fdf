from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from committees.roles import MembershipStatus
from members import phones
from members.models import Person, Skill

from ..models import (
    ActionKind,
    Agency,
    AgencyKind,
    CampaignKind,
    CommitmentKind,
    CommitmentStatus,
    Offer,
    OfficeHolder,
    Partner,
    PartnerKind,
    PartnerNote,
    Relationship,
    Stage,
    VoteChoice,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def normalise_phone(raw: str) -> str:
    """E.164 for a valid number, "" for nothing typed, else a ValidationError."""
    if not (raw or "").strip():
        return ""
    phone = phones.normalise_phone(raw)
    if phone is None:
        raise forms.ValidationError(
            _("Enter a valid mobile phone number, for example 213 555 0123.")
        )
    return phone


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerKind.choices)
    offers = forms.MultipleChoiceField(
        label=_("What they offer"),
        choices=Offer.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.CharField(label=_("Languages spoken"), max_length=200, required=False)
    relationship = forms.ChoiceField(label=_("Relationship"), choices=Relationship.choices)
    takes_legal_referrals = forms.BooleanField(
        label=_("We refer legal cases to them"), required=False
    )
    bond_fund_donor = forms.BooleanField(label=_("They give to the bond fund"), required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=120, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=32, required=False)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)

    def clean_contact_phone(self):
        return normalise_phone(self.cleaned_data.get("contact_phone", ""))

    @classmethod
    def initial_for(cls, partner: Partner) -> dict:
        names = ["name", "kind", "offers", "languages", "relationship"]
        names += ["takes_legal_referrals", "bond_fund_donor"]
        names += ["contact_name", "contact_phone", "contact_email"]
        return {name: getattr(partner, name) or "" for name in names}


class PartnerNoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerNote.Kind.choices)
    on = forms.DateField(label=_("Date"), widget=DATE)
    summary = forms.CharField(label=_("What happened or what we asked"), max_length=500)
    answer = forms.CharField(label=_("Their answer"), max_length=500, required=False)


def members_of(committee):
    """Who may own a follow-up or renew a pledge: members who can open the coalition part."""
    from ..selectors import coalition_members

    return coalition_members(committee=committee)


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, membership):
        return membership.person.preferred_name


class PledgeForm(forms.Form):
    text = forms.CharField(label=_("What they pledge"), max_length=500)
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DATE)
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DATE)
    owner = MemberChoice(label=_("Who renews it"), queryset=None, required=False)
    document = forms.FileField(label=_("Signed document (PDF or photo)"), required=False)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(committee)


class AgencyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgencyKind.choices)
    jurisdiction = forms.CharField(label=_("Jurisdiction"), max_length=150, required=False)


class OfficeHolderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    title = forms.CharField(label=_("Title"), max_length=100, required=False)
    term_start = forms.DateField(label=_("Term starts"), required=False, widget=DATE)
    term_end = forms.DateField(label=_("Term ends"), required=False, widget=DATE)


class HolderChoice(forms.ModelChoiceField):
    def label_from_instance(self, holder):
        return f"{holder.name} ({holder.agency.name})"


class CommitmentForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Official or agency"), queryset=None)
    office_holder = HolderChoice(label=_("Who committed"), queryset=None, required=False)
    kind = forms.ChoiceField(label=_("Commitment"), choices=CommitmentKind.choices)
    other_en = forms.CharField(
        label=_("Other commitment, in English"), max_length=200, required=False
    )
    other_es = forms.CharField(
        label=_("Other commitment, in Spanish"), max_length=200, required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=CommitmentStatus.choices)
    on = forms.DateField(label=_("Since"), widget=DATE)
    in_writing = forms.BooleanField(label=_("In writing"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    source_url = forms.URLField(
        label=_("Source"), max_length=500, required=False, assume_scheme="https"
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(committee=committee)
        self.fields["office_holder"].queryset = OfficeHolder.objects.filter(
            agency__committee=committee
        ).select_related("agency")


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=CommitmentStatus.choices)
    on = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    source_url = forms.URLField(
        label=_("Source"), max_length=500, required=False, assume_scheme="https"
    )
    incidents = forms.TypedMultipleChoiceField(
        label=_("Incidents that show it broken"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, incident_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incidents"].choices = incident_choices
        if not incident_choices:
            del self.fields["incidents"]


class IncidentLinkForm(forms.Form):
    incident = forms.TypedChoiceField(label=_("Incident"), coerce=int)

    def __init__(self, *args, incident_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident"].choices = incident_choices


class DocumentForm(forms.Form):
    document = forms.FileField(label=_("Document (PDF or photo)"))
    public = forms.BooleanField(label=_("Show it on the public scorecard"), required=False)


class PublishForm(forms.Form):
    published = forms.BooleanField(label=_("On the public scorecard"), required=False)
    document_public = forms.BooleanField(label=_("With its document"), required=False)


class PersonChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        return person.preferred_name


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    agency = forms.ModelChoiceField(label=_("Official or agency"), queryset=None, required=False)
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=None, required=False)
    attendees = PersonChoices(
        label=_("Our people"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    others_present = forms.CharField(label=_("Who else was there"), max_length=300, required=False)
    asked = forms.CharField(
        label=_("What we asked"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    answered = forms.CharField(
        label=_("What they answered"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(committee=committee)
        self.fields["partner"].queryset = Partner.objects.filter(committee=committee)
        self.fields["attendees"].queryset = Person.objects.filter(
            committee=committee, membership__status=MembershipStatus.VETTED
        ).order_by("preferred_name", "id")


class FollowUpForm(forms.Form):
    text = forms.CharField(label=_("What to do"), max_length=300)
    owner = MemberChoice(label=_("Owner"), queryset=None)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(committee)


class CampaignForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CampaignKind.choices)
    title_es = forms.CharField(label=_("Title in Spanish"), max_length=150, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=150, required=False)
    body = forms.ModelChoiceField(label=_("Voted by"), queryset=None, required=False)
    text_url = forms.URLField(
        label=_("Link to the text"), max_length=500, required=False, assume_scheme="https"
    )
    text = forms.CharField(
        label=_("Text"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Agency.objects.filter(committee=committee)


class StepForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    on = forms.DateField(label=_("Date"), widget=DATE)
    source = forms.CharField(label=_("Source"), max_length=300)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class StepChoice(forms.ModelChoiceField):
    def label_from_instance(self, step):
        return f"{step.get_stage_display()} · {step.on:%Y-%m-%d}"


class VoteForm(forms.Form):
    step = StepChoice(label=_("Step"), queryset=None)
    office_holder = HolderChoice(label=_("Official"), queryset=None)
    choice = forms.ChoiceField(label=_("Vote"), choices=VoteChoice.choices)

    def __init__(self, *args, committee, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = campaign.steps.all()
        self.fields["office_holder"].queryset = OfficeHolder.objects.filter(
            agency__committee=committee
        ).select_related("agency")


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Action"), choices=ActionKind.choices)
    text_es = forms.CharField(label=_("Message in Spanish"), max_length=320, required=False)
    text_en = forms.CharField(label=_("Message in English"), max_length=320, required=False)
    skill = forms.ModelChoiceField(
        label=_("Send to people with this interest"),
        queryset=None,
        required=False,
        empty_label=_("Everyone"),
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        self.fields["skill"].queryset = Skill.objects.filter(
            Q(committee=committee) | Q(committee__isnull=True)
        )


class AgreementUploadForm(forms.Form):
    upload = forms.FileField(label=_("The list, as a CSV file"))


class ProfileForm(forms.Form):
    about_es = forms.CharField(
        label=_("Who we are, in Spanish"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    about_en = forms.CharField(
        label=_("Who we are, in English"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    hotline = forms.CharField(label=_("Hotline or SMS number"), max_length=32, required=False)
    state = forms.CharField(label=_("State (two letters)"), max_length=2, required=False)
    counties = forms.CharField(
        label=_("Counties, separated by commas"), max_length=300, required=False
    )

    def clean_hotline(self):
        return normalise_phone(self.cleaned_data.get("hotline", ""))


class FactForm(forms.Form):
    text_es = forms.CharField(label=_("Fact in Spanish"), max_length=400)
    text_en = forms.CharField(label=_("Fact in English"), max_length=400)
    source = forms.CharField(label=_("Source"), max_length=200)
    source_url = forms.URLField(
        label=_("Link to the source"), max_length=500, required=False, assume_scheme="https"
    )
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)
