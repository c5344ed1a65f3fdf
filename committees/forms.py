from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from members.models import Language, User

from .models import Zone
from .roles import Role

ASSIGNABLE_ROLES = [(r.value, r.label) for r in Role if r != Role.MEMBER]


class JoinForm(forms.Form):
    """Create an account from an invitation. The email must be the invited address."""

    preferred_name = forms.CharField(
        label=_("What should we call you?"),
        max_length=120,
        help_text=_("A first name or nickname is enough."),
    )
    email = forms.EmailField(label=_("Email"), max_length=254)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters. Do not reuse a password from another site."),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        self.invitation = invitation
        super().__init__(*args, **kwargs)

    def clean_preferred_name(self):
        name = self.cleaned_data["preferred_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please tell us what to call you."))
        return name

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email != self.invitation.email.lower():
            raise forms.ValidationError(_("Use the email address this invitation was sent to."))
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("You already have an account. Sign in first, then open this link again.")
            )
        return email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        elif p1:
            try:
                password_validation.validate_password(p1, User(email=cleaned.get("email", "")))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the person you invite"),
        help_text=_("They sign in with it. The invitation is sent there."),
    )
    phone = PhoneNumberField(
        label=_("Mobile phone (optional)"),
        required=False,
        help_text=_("To also text them the link. US numbers without +1, others with their code."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    language = forms.ChoiceField(
        label=_("Their language"), choices=Language.choices, required=False
    )
    send_by = forms.MultipleChoiceField(
        label=_("Send the link by"),
        choices=[("email", _("Email")), ("sms", _("Text message (SMS)"))],
        required=False,
        initial=["email", "sms"],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave both unticked to hand over the link or QR code yourself."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles once vetted"),
        choices=ASSIGNABLE_ROLES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Everyone is a member. Newcomers stay on probation until vetted."),
    )

    def clean(self):
        cleaned = super().clean()
        if "sms" in cleaned.get("send_by", []) and not cleaned.get("phone"):
            if self.data.get("phone"):
                return cleaned  # the phone field has its own error
            self.add_error("phone", _("Add a mobile number to send the link by text message."))
        return cleaned


class ResendForm(forms.Form):
    send_by = forms.MultipleChoiceField(
        choices=[("email", _("Email")), ("sms", _("Text message (SMS)"))],
        required=False,
    )


class VouchForm(forms.Form):
    note = forms.CharField(
        label=_("How do you know this person?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For the coordinator who approves: how long and from where you know them. "
            "Only coordinators read it."
        ),
    )


class CommitteeSettingsForm(forms.Form):
    vouches_required = forms.TypedChoiceField(
        label=_("Vouches needed before a coordinator approves a newcomer"),
        choices=[(1, _("One vetted member")), (2, _("Two vetted members"))],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("Whoever vouched never approves: vetting always takes two people."),
    )


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=ASSIGNABLE_ROLES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ZoneForm(forms.ModelForm):
    class Meta:
        model = Zone
        fields = ["name", "description", "description_es"]


class CommitteeSwitchForm(forms.Form):
    committee_id = forms.IntegerField(widget=forms.HiddenInput)
