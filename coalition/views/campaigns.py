from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.access import Action, get_object_or_404, requires

from .. import selectors, services
from ..forms import ActionForm, CampaignForm, StepForm, VoteForm
from ..models import CampaignAction
from .common import PAGE_SIZE, add_errors, errors_text, page


@requires(Action.VIEW_COALITION)
def campaign_list(request):
    viewer = request.viewer
    return page(
        request,
        "coalition/campaign_list.html",
        {
            "page": Paginator(selectors.campaigns(viewer=viewer), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "can_manage": viewer.can(Action.MANAGE_COALITION),
        },
    )


@requires(Action.MANAGE_COALITION)
def campaign_edit(request, campaign_id=None):
    viewer = request.viewer
    campaign = None
    initial = {}
    if campaign_id is not None:
        campaign = get_object_or_404(selectors.campaigns(viewer=viewer), viewer, pk=campaign_id)
        initial = {
            name: getattr(campaign, name)
            for name in ("kind", "title_en", "title_es", "text", "text_url")
        } | {"body": campaign.body_id}
    form = CampaignForm(request.POST or None, committee=viewer.committee, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_save(actor=viewer, campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("coalition:campaign_detail", campaign_id=campaign.pk)
    return page(
        request,
        "coalition/form.html",
        {"form": form, "title": _("Campaign")},
        status=400 if form.errors else 200,
    )


@requires(Action.VIEW_COALITION)
def campaign_detail(request, campaign_id):
    viewer = request.viewer
    campaign = get_object_or_404(selectors.campaign_detail(viewer=viewer), viewer, pk=campaign_id)
    can_manage = viewer.can(Action.MANAGE_COALITION)
    committee = viewer.committee
    return page(
        request,
        "coalition/campaign_detail.html",
        {
            "campaign": campaign,
            "can_manage": can_manage,
            "can_send": viewer.can(Action.SEND_MESSAGES),
            "step_form": StepForm(initial={"on": timezone.localdate()}) if can_manage else None,
            "vote_form": VoteForm(committee=committee, campaign=campaign) if can_manage else None,
            "action_form": ActionForm(committee=committee) if can_manage else None,
        },
    )


def _campaign(request, campaign_id):
    return get_object_or_404(
        selectors.campaigns(viewer=request.viewer), request.viewer, pk=campaign_id
    )


@requires(Action.MANAGE_COALITION)
@require_POST
def step_add(request, campaign_id):
    viewer = request.viewer
    campaign = _campaign(request, campaign_id)
    form = StepForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the stage, its date and its source."))
        services.campaign_step_add(actor=viewer, campaign=campaign, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, errors_text(error))
    else:
        messages.success(request, _("Step added."))
    return redirect("coalition:campaign_detail", campaign_id=campaign.pk)


@requires(Action.MANAGE_COALITION)
@require_POST
def vote_add(request, campaign_id):
    viewer = request.viewer
    campaign = _campaign(request, campaign_id)
    form = VoteForm(request.POST, committee=viewer.committee, campaign=campaign)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose the official and their vote."))
        services.vote_record(actor=viewer, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, errors_text(error))
    else:
        messages.success(request, _("Vote recorded."))
    return redirect("coalition:campaign_detail", campaign_id=campaign.pk)


@requires(Action.MANAGE_COALITION)
@require_POST
def action_add(request, campaign_id):
    viewer = request.viewer
    campaign = _campaign(request, campaign_id)
    form = ActionForm(request.POST, committee=viewer.committee)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose the action and write the message."))
        services.campaign_action_add(actor=viewer, campaign=campaign, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, errors_text(error))
    else:
        messages.success(request, _("Action added."))
    return redirect("coalition:campaign_detail", campaign_id=campaign.pk)


@requires(Action.SEND_MESSAGES)
@require_POST
def action_message(request, campaign_id, action_id):
    """Draft the action's group message and open its confirmation step (messages part)."""
    viewer = request.viewer
    campaign = _campaign(request, campaign_id)
    action = get_object_or_404(
        CampaignAction.objects.filter(campaign=campaign).select_related("campaign"),
        viewer,
        pk=action_id,
    )
    draft = services.campaign_action_message(actor=viewer, action=action)
    return redirect("notifications:broadcast_detail", broadcast_id=draft.pk)
