"""Evidence and declarants: linking another part's record to a matter (from the matter's
page, or from the record's own page through `propose`), proposing someone who was
there, asking their consent by text or recording it in person."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.access import Action, get_object_or_404, requires

from .. import services
from ..litigation import forms, sources
from ..litigation import selectors as litigation
from ..models import Evidence, SourceKind
from .common import error_text, render_in_committee_time
from .litigation import _matter, role_label


@requires()
@require_POST
def evidence_add(request, matter_id):
    matter = _matter(request, matter_id, Action.EDIT_MATTER)
    kind = request.POST.get("kind", "")
    if kind not in SourceKind.values:
        raise Http404
    form = forms.EvidenceForm(
        request.POST, kind=kind, records=sources.choices(matter.committee, kind)
    )
    if form.is_valid():
        try:
            services.evidence_propose(
                actor=request.viewer,
                matter=matter,
                source_kind=kind,
                source_id=int(form.cleaned_data["source"]),
                conduct=form.cleaned_data["conduct"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Linked as evidence."))
    else:
        messages.error(request, _("Choose a record and the conduct it shows."))
    return redirect("legal_aid:matter", matter.pk)


@requires()
def propose(request, source_kind, source_id):
    """Link a record of another part as "maybe evidence for matter X" (an incident, a
    court-watch report, an accompaniment, a broken commitment), to one of the matters
    the viewer is on the team of. A 404 for anyone who may not link evidence, and for
    another committee's record."""
    viewer = request.viewer
    if not viewer.can(Action.EDIT_MATTER):
        raise Http404
    if source_kind not in SourceKind.values or not sources.exists(
        viewer.committee, source_kind, source_id
    ):
        raise Http404
    matters = litigation.my_matters(viewer=viewer)
    form = forms.ProposeForm(request.POST or None, matters=matters)
    if request.method == "POST" and form.is_valid():
        matter = _matter(request, form.cleaned_data["matter"], Action.EDIT_MATTER)
        try:
            services.evidence_propose(
                actor=viewer,
                matter=matter,
                source_kind=source_kind,
                source_id=source_id,
                conduct=form.cleaned_data["conduct"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Linked as evidence."))
            return redirect("legal_aid:matter", matter.pk)
    label = dict(sources.choices(viewer.committee, source_kind)).get(int(source_id), "")
    return render_in_committee_time(
        request,
        viewer.committee,
        "legal_aid/litigation/propose.html",
        {
            "form": form,
            "matters": matters,
            "kind": SourceKind(source_kind).label,
            "source_id": source_id,
            "label": label,
        },
        status=400 if form.errors else 200,
    )


@requires()
@require_POST
def declarant_add(request, matter_id):
    matter = _matter(request, matter_id, Action.EDIT_MATTER)
    evidence_id, _sep, person_id = request.POST.get("candidate", "").partition(":")
    evidence = Evidence.objects.filter(matter=matter, pk=evidence_id or 0).first()
    if evidence is None or not person_id.isdigit():
        messages.error(request, _("Choose one of the people who were there."))
        return redirect("legal_aid:matter", matter.pk)
    try:
        services.declarant_propose(
            actor=request.viewer, matter=matter, evidence=evidence, person_id=int(person_id)
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Proposed. Ask for their consent before anything else."))
    return redirect("legal_aid:matter", matter.pk)


def _declarant(request, declarant_id, action=Action.VIEW_MATTER):
    viewer = request.viewer
    declarant = get_object_or_404(
        litigation.declarant_for_viewer(viewer=viewer), viewer, pk=declarant_id
    )
    if not viewer.can(action, declarant.matter):
        raise Http404
    return declarant


@requires()
def declarant_detail(request, declarant_id):
    declarant = _declarant(request, declarant_id)
    if declarant.consented:
        services.declarant_viewed(actor=request.viewer, declarants=[declarant])
    language = declarant.person.language
    return render_in_committee_time(
        request,
        declarant.matter.committee,
        "legal_aid/litigation/declarant.html",
        {
            "declarant": declarant,
            "matter": declarant.matter,
            "wordings": [
                (code, label, services.in_person_wording(declarant=declarant, language=code))
                for code, label in (("en", _("English")), ("es", _("Spanish")))
            ],
            "consent_form": forms.InPersonConsentForm(initial={"language": language}),
            "role": role_label,
        },
    )


@requires()
@require_POST
def declarant_ask(request, declarant_id):
    declarant = _declarant(request, declarant_id, Action.EDIT_MATTER)
    try:
        sent = services.declarant_consent_ask(actor=request.viewer, declarant=declarant)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        if sent:
            messages.success(request, _("The question is on its way by text message."))
        else:
            messages.error(
                request,
                _(
                    "No text was sent: they have not agreed to texts from the committee, or "
                    "their number cannot receive them. Ask them in person."
                ),
            )
    return redirect("legal_aid:declarant", declarant.pk)


@requires()
@require_POST
def declarant_consent(request, declarant_id):
    declarant = _declarant(request, declarant_id, Action.EDIT_MATTER)
    form = forms.InPersonConsentForm(request.POST)
    if form.is_valid():
        try:
            services.declarant_consent_record(
                actor=request.viewer,
                declarant=declarant,
                granted=form.cleaned_data["granted"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Their answer is recorded, with the words they heard."))
    else:
        messages.error(request, _("Record their answer and the language they were asked in."))
    return redirect("legal_aid:declarant", declarant.pk)
