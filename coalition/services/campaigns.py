"""Campaigns for ordinances and bills: their steps, votes, and actions for members."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from committees.access import Action, Viewer
from notifications.services import broadcast_draft

from ..models import Campaign, CampaignAction, CampaignStep, Vote

ACTION_PURPOSE = "news"


def _own(actor: Viewer, *objects) -> None:
    for obj in objects:
        if obj is not None and obj.committee_id != actor.committee.pk:
            raise ValidationError(_("This is not in your committee."))


@transaction.atomic
def campaign_save(
    *,
    actor: Viewer,
    campaign: Campaign | None = None,
    kind: str,
    title_en: str = "",
    title_es: str = "",
    body=None,
    text: str = "",
    text_url: str = "",
) -> Campaign:
    actor.require(Action.MANAGE_COALITION)
    _own(actor, campaign, body)
    if not (title_en.strip() or title_es.strip()):
        raise ValidationError(
            {"title_es": _("Give the campaign a title in at least one language.")}
        )
    campaign = campaign or Campaign(committee=actor.committee)
    campaign.kind, campaign.body = kind, body
    campaign.title_en, campaign.title_es = title_en.strip(), title_es.strip()
    campaign.text, campaign.text_url = text.strip(), text_url.strip()
    campaign.save()
    return campaign


@transaction.atomic
def campaign_step_add(
    *, actor: Viewer, campaign: Campaign, stage: str, on: date, source: str, note: str = ""
) -> CampaignStep:
    """Record a step (with its date and source); the campaign's stage follows the latest."""
    actor.require(Action.MANAGE_COALITION)
    _own(actor, campaign)
    if not source.strip():
        raise ValidationError({"source": _("Say where this comes from (minutes, a link).")})
    step = CampaignStep.objects.create(
        campaign=campaign, stage=stage, on=on, source=source.strip(), note=note.strip()
    )
    latest = campaign.steps.order_by("-on", "-id").first()
    Campaign.objects.filter(pk=campaign.pk).update(stage=latest.stage, stage_since=latest.on)
    campaign.stage, campaign.stage_since = latest.stage, latest.on
    return step


@transaction.atomic
def vote_record(*, actor: Viewer, step: CampaignStep, office_holder, choice: str) -> Vote:
    """One official's vote at one step (recording it again corrects it)."""
    actor.require(Action.MANAGE_COALITION)
    _own(actor, step.campaign, office_holder.agency)
    vote, _created = Vote.objects.update_or_create(
        step=step,
        office_holder=office_holder,
        defaults={"campaign": step.campaign, "choice": choice},
    )
    return vote


@transaction.atomic
def campaign_action_add(
    *, actor: Viewer, campaign: Campaign, kind: str, text_en: str, text_es: str, skill=None
) -> CampaignAction:
    actor.require(Action.MANAGE_COALITION)
    _own(actor, campaign)
    if skill is not None and skill.committee_id not in (None, actor.committee.pk):
        raise ValidationError(_("This is not in your committee."))
    if not (text_en.strip() or text_es.strip()):
        raise ValidationError({"text_es": _("Write what members should do.")})
    return CampaignAction.objects.create(
        campaign=campaign, kind=kind, text_en=text_en.strip(), text_es=text_es.strip(), skill=skill
    )


@transaction.atomic
def campaign_action_message(*, actor: Viewer, action: CampaignAction):
    """Draft the group message for an action, to the people with its interest (or
    everyone), through the messages part: the coordinator then sees who it reaches and
    confirms it there. Sends nothing by itself. Returns the draft."""
    actor.require(Action.SEND_MESSAGES)
    _own(actor, action.campaign)
    draft = broadcast_draft(
        actor=actor,
        channel="sms",
        purpose=ACTION_PURPOSE,
        text_en=action.text_en or action.text_es,
        text_es=action.text_es or action.text_en,
        recipient_filter={"skill": str(action.skill_id)} if action.skill_id else {},
    )
    CampaignAction.objects.filter(pk=action.pk).update(broadcast_id=draft.pk)
    action.broadcast_id = draft.pk
    return draft
