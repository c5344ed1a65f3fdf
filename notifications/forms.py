from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from members.consent import Channel, Purpose
from members.models import Language

from . import selectors
from .models import Broadcast
from .rendering import GSM7_BASIC, GSM7_EXTENDED, sms_encoding
from .services.broadcasts import broadcast_render

# Raid alerts are sent by the rapid-response part, after a dispatcher verifies a report.
COMPOSE_PURPOSES = [(p.value, p.label) for p in Purpose if p != Purpose.RAID_ALERTS]
STATUS_CHOICES = [
    ("vetted", _("Vetted members")),
    ("probationary", _("Members on probation")),
    ("", _("Everyone who is not suspended")),
]
TEXT_LIMIT = 1000


class ComposeForm(forms.Form):
    """A group message: who it goes to (a small filter) and its text in each language."""

    channel = forms.ChoiceField(
        label=_("Send by"), choices=Channel.choices, initial=Channel.SMS, widget=forms.RadioSelect
    )
    # No default: the sender decides what the message is about, and with it who may
    # receive it (a news item sent as a "reminder" would reach people who never agreed).
    purpose = forms.ChoiceField(
        label=_("What it is about"),
        choices=[("", _("Choose…"))] + list(COMPOSE_PURPOSES),
        error_messages={"required": _("Choose what the message is about.")},
        help_text=_("Only people who agreed to this kind of message receive it."),
    )
    text_en = forms.CharField(
        label=_("Text in English"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=TEXT_LIMIT,
    )
    text_es = forms.CharField(
        label=_("Text in Spanish"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=TEXT_LIMIT,
    )

    def __init__(self, *args, viewer, filter_data=None, **kwargs):
        """`filter_data`: who receives it, in the people directory's filter terms (its
        query string, or a saved draft's); defaults to the posted form's own values."""
        from members.filters import PersonFilter

        self.viewer = viewer
        super().__init__(*args, **kwargs)
        self.summary = None
        source = filter_data if filter_data is not None else (self.data or {})
        wanted = {key: source.get(key, "") for key in PersonFilter.base_filters}
        self.people_filter = PersonFilter({k: v for k, v in wanted.items() if v}, viewer=viewer)

    @property
    def recipient_filter(self) -> dict:
        """The non-empty directory filter values (saved with the draft). An invalid value
        stays in: resolving it refuses (selectors.compose_recipients), it never widens."""
        return dict(self.people_filter.form.data)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if not self.people_filter.is_valid():
            raise forms.ValidationError(
                _("Some of the choices for who receives it are not valid any more: choose again.")
            )
        self.summary = selectors.recipient_summary(
            viewer=self.viewer,
            params=self.recipient_filter,
            purpose=cleaned["purpose"],
            channel=cleaned["channel"],
        )
        if not self.summary["reachable"]:
            raise forms.ValidationError(
                _(
                    "No one in this group can receive it: no one matches, or no one who "
                    "matches agreed to this kind of message on this channel."
                )
            )
        for code, name in Language.choices:
            count = self.summary["by_language"].get(code, 0)
            if count and not cleaned.get(f"text_{code}", "").strip():
                self.add_error(
                    f"text_{code}",
                    ngettext(
                        "%(count)s recipient reads %(language)s: write this text too.",
                        "%(count)s recipients read %(language)s: write this text too.",
                        count,
                    )
                    % {"count": count, "language": name},
                )
        return cleaned

    def preview(self, committee) -> dict:
        """Recipient counts and, per language, the text as it will be sent and its cost."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        data = self.cleaned_data
        purpose = data.get("purpose") or Purpose.REMINDERS
        channel = data.get("channel") or Channel.SMS
        try:
            summary = self.summary or selectors.recipient_summary(
                viewer=self.viewer, params=self.recipient_filter, purpose=purpose, channel=channel
            )
        except selectors.RecipientFilterError:
            summary = {"matching": 0, "reachable": 0, "by_language": {}}
        drafts = []
        for code, name in Language.choices:
            text = (data.get(f"text_{code}") or self.data.get(f"text_{code}", ""))[:TEXT_LIMIT]
            drafts.append(
                draft_preview(
                    committee=committee,
                    channel=channel,
                    language=code,
                    name=name,
                    text=text,
                    recipients=summary["by_language"].get(code, 0),
                )
            )
        return {"summary": summary, "drafts": drafts, "channel": channel}


def draft_preview(*, committee, channel, language, name, text, recipients) -> dict:
    if not text.strip():
        return {"language": language, "name": name, "empty": True, "recipients": recipients}
    rendered = broadcast_render(committee=committee, channel=channel, language=language, text=text)
    preview = {
        "language": language,
        "name": name,
        "empty": False,
        "recipients": recipients,
        "body": rendered.body,
        "subject": rendered.subject,
    }
    if channel == Channel.SMS:
        measured = sms_encoding(rendered.body)
        preview.update(
            encoding=measured.encoding,
            segments=measured.segments,
            characters=measured.characters,
            ucs2=measured.encoding == "UCS-2",
            # The characters that force UCS-2, so the coordinator can replace them.
            culprits="".join(
                sorted({c for c in rendered.body if c not in GSM7_BASIC | GSM7_EXTENDED})
            ),
            total_segments=measured.segments * recipients,
        )
    return preview


def broadcast_previews(broadcast: Broadcast, summary: dict) -> list:
    return [
        draft_preview(
            committee=broadcast.committee,
            channel=broadcast.channel,
            language=code,
            name=name,
            text=broadcast.text_for(code),
            recipients=summary["by_language"].get(code, 0),
        )
        for code, name in Language.choices
    ]


class MessageFilterForm(forms.Form):
    status = forms.ChoiceField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Status

        self.fields["status"].choices = [
            ("", _("Any status")),
            ("problems", _("Problems (failed, not delivered, unknown, expired)")),
            *Status.choices,
        ]
        self.fields["status"].label = _("Status")
