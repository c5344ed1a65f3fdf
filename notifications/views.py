"""Coordinator screens: compose a group message, watch it go out, read replies and opt-outs,
and a person's message history (staff roles)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from committees import confirm
from committees.access import Action, get_object_or_404, public, requires
from committees.dashboard import Panel, register
from members.consent import Purpose
from members.models import Person

from . import selectors, services
from .forms import ComposeForm, MessageFilterForm, broadcast_previews
from .models import Broadcast, InboundMessage, NumberFlag

PAGE_SIZE = 50


@register
def messages_panel(viewer):
    if not viewer.can(Action.SEND_MESSAGES):
        return None
    return Panel(
        template="notifications/panels/messages.html",
        context={"counts": selectors.attention_counts(viewer=viewer)},
        order=20,
    )


# --- Group messages -------------------------------------------------------------------


@requires(Action.SEND_MESSAGES)
def compose(request):
    viewer = request.viewer
    initial = {}
    # From the directory: "Message these people" carries its filter in the query string.
    filter_data = None if request.method == "POST" else request.GET
    earlier = request.GET.get("draft", "")
    # "Change it" from the confirmation step: start from that draft (an id, never a
    # number too large for the database's integer).
    if earlier.isascii() and earlier.isdigit() and len(earlier) <= 18:
        broadcast = selectors.broadcast_list(viewer=viewer).filter(pk=earlier).first()
        if broadcast is not None:
            initial = {
                "channel": broadcast.channel,
                "purpose": broadcast.purpose,
                "text_en": broadcast.text_en,
                "text_es": broadcast.text_es,
            }
            filter_data = broadcast.recipient_params()
    form = ComposeForm(
        request.POST or None, viewer=viewer, initial=initial, filter_data=filter_data
    )
    preview = None
    if request.method == "POST":
        if form.is_valid() and request.POST.get("action") != "preview":
            data = form.cleaned_data
            broadcast = services.broadcast_draft(
                actor=viewer,
                channel=data["channel"],
                purpose=data["purpose"],
                text_en=data["text_en"],
                text_es=data["text_es"],
                recipient_filter=form.recipient_filter,
            )
            return redirect("notifications:broadcast_detail", broadcast_id=broadcast.pk)
        preview = form.preview(viewer.committee)
    return render(
        request,
        "notifications/compose.html",
        {"form": form, "preview": preview},
        status=400 if form.is_bound and form.errors else 200,
    )


@requires(Action.SEND_MESSAGES)
@require_POST
def compose_preview(request):
    """The live part of the compose page (htmx): counts, segments, encoding warnings."""
    form = ComposeForm(request.POST, viewer=request.viewer)
    form.is_valid()
    return render(
        request,
        "notifications/_compose_preview.html",
        {"preview": form.preview(request.viewer.committee)},
    )


@requires(Action.SEND_MESSAGES)
def broadcast_list(request):
    services.broadcasts_finish()
    page = Paginator(
        selectors.broadcast_list_with_counts(viewer=request.viewer), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "notifications/broadcast_list.html", {"page": page})


def _broadcast(request, broadcast_id):
    return get_object_or_404(
        selectors.broadcast_list(viewer=request.viewer),
        request.viewer,
        Action.SEND_MESSAGES,
        pk=broadcast_id,
    )


@requires(Action.SEND_MESSAGES)
def broadcast_detail(request, broadcast_id):
    """The confirmation step while a draft; then the live delivery progress."""
    broadcast = _broadcast(request, broadcast_id)
    if broadcast.state == Broadcast.State.DRAFT:
        try:
            summary = selectors.recipient_summary(
                viewer=request.viewer,
                params=broadcast.recipient_params(),
                purpose=broadcast.purpose,
                channel=broadcast.channel,
            )
        except selectors.RecipientFilterError as error:
            messages.error(request, " ".join(error.messages))
            summary = {"matching": 0, "reachable": 0, "by_language": {}}
        return render(
            request,
            "notifications/broadcast_confirm.html",
            {
                "broadcast": broadcast,
                "summary": summary,
                "drafts": broadcast_previews(broadcast, summary),
            },
        )
    if services.broadcasts_finish(broadcast_ids=[broadcast.pk]):
        broadcast.refresh_from_db()
    return render(
        request,
        "notifications/broadcast_progress.html",
        {"broadcast": broadcast, "progress": selectors.broadcast_progress(broadcast=broadcast)},
    )


@requires(Action.SEND_MESSAGES)
def broadcast_progress(request, broadcast_id):
    broadcast = _broadcast(request, broadcast_id)
    if services.broadcasts_finish(broadcast_ids=[broadcast.pk]):
        broadcast.refresh_from_db()
    return render(
        request,
        "notifications/_broadcast_progress.html",
        {"broadcast": broadcast, "progress": selectors.broadcast_progress(broadcast=broadcast)},
    )


@requires(Action.SEND_MESSAGES)
@require_POST
def broadcast_send(request, broadcast_id):
    broadcast = _broadcast(request, broadcast_id)
    if not confirm.confirmed(request):
        # Only the "Check and send" page (which says what goes to how many) sends.
        return redirect("notifications:broadcast_detail", broadcast_id=broadcast.pk)
    try:
        count = services.broadcast_send(actor=request.viewer, broadcast=broadcast)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if count:
            messages.success(
                request,
                ngettext("Sending to %(count)s person.", "Sending to %(count)s people.", count)
                % {"count": count},
            )
    return redirect("notifications:broadcast_detail", broadcast_id=broadcast.pk)


@requires(Action.SEND_MESSAGES)
@require_POST
def broadcast_cancel(request, broadcast_id):
    broadcast = _broadcast(request, broadcast_id)
    count = services.broadcast_cancel(actor=request.viewer, broadcast=broadcast)
    messages.success(
        request,
        ngettext(
            "Cancelled: %(count)s message had not left yet.",
            "Cancelled: %(count)s messages had not left yet.",
            count,
        )
        % {"count": count},
    )
    return redirect("notifications:broadcast_detail", broadcast_id=broadcast.pk)


# --- Outbox, replies and opt-outs ------------------------------------------------------


@requires(Action.SEND_MESSAGES)
def message_list(request):
    form = MessageFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    rows = selectors.outbox_list(viewer=request.viewer, status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/message_list.html",
        {"form": form, "page": page},
    )


@requires(Action.SEND_MESSAGES)
def inbox(request):
    show_all = request.GET.get("show") == "all"
    rows = selectors.unmatched_inbound(viewer=request.viewer, include_resolved=show_all)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "show_all": show_all})


@requires(Action.SEND_MESSAGES)
@require_POST
def inbound_resolve(request, inbound_id):
    inbound = get_object_or_404(InboundMessage, request.viewer, Action.SEND_MESSAGES, pk=inbound_id)
    services.inbound_resolve(actor=request.viewer, inbound=inbound)
    messages.success(request, _("Marked as handled."))
    return redirect("notifications:inbox")


@requires(Action.SEND_MESSAGES)
def number_flag_list(request):
    kind = request.GET.get("kind", "")
    if kind not in NumberFlag.Kind.values:
        kind = ""
    rows = selectors.number_flags(viewer=request.viewer, kind=kind)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/number_flags.html",
        {"page": page, "kind": kind, "kinds": NumberFlag.Kind.choices},
    )


# --- A person's messages ------------------------------------------------------------------


@requires(Action.VIEW_MESSAGE_HISTORY)
def person_history(request, person_id):
    """Every message to and from one person, with delivery status.

    Open to staff roles (they need to know whether someone got an alert or a hearing
    reminder); the texts themselves are shown only to those who send messages
    (coordinators). Every view is recorded in the audit log, without the texts.
    """
    viewer = request.viewer
    person = get_object_or_404(Person, viewer, Action.VIEW_MESSAGE_HISTORY, pk=person_id)
    services.history_view_record(viewer=viewer, person=person)
    page = Paginator(selectors.person_messages(viewer=viewer, person=person), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    received = selectors.person_inbound(viewer=viewer, person=person)[:20]
    return render(
        request,
        "notifications/person_history.html",
        {
            "person": person,
            "page": page,
            "received": received,
            "show_texts": viewer.can(Action.SEND_MESSAGES),
        },
    )


def unsubscribe_wording() -> str:
    return _("Stop these emails (unsubscribe link in an email).")


@public
def unsubscribe(request, token):
    """The link under every email sent for a purpose: stop that purpose by email."""
    from . import unsubscribe as links

    message = links.message_for_token(token)
    if message is None:
        raise Http404
    done = False
    if request.method == "POST":
        links.unsubscribe(
            message=message, wording=unsubscribe_wording(), language=translation.get_language()
        )
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {
            "committee": message.committee,
            "purpose": Purpose(message.purpose).label,
            "done": done,
        },
    )
