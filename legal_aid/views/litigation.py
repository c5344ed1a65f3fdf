"""Impact litigation's screens: the matter list (existence and status for the committee),
a matter's page (its team only: a 404 to everyone else), its team, key dates, documents,
the evidence packet and the patterns page. Every view of a matter is audited."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.access import Action, get_object_or_404, requires
from members import audit
from members.models import Person

from .. import selectors as legal_selectors
from .. import services
from ..litigation import forms, patterns, sources
from ..litigation import selectors as litigation
from ..models import KeyDate, MatterDocument, MatterStatus, MatterTeamMember, SourceKind
from .common import PAGE_SIZE, error_text, render_in_committee_time


@requires(Action.VIEW_MATTER_STATUS)
def matter_list(request):
    viewer = request.viewer
    status = request.GET.get("status", "")
    status = status if status in MatterStatus.values else ""
    page = Paginator(litigation.matter_list(viewer=viewer, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for matter in page:
        matter.viewer_on_team = viewer.can(Action.VIEW_MATTER, matter)
    return render_in_committee_time(
        request,
        viewer.committee,
        "legal_aid/litigation/matter_list.html",
        {
            "page": page,
            "status": status,
            "statuses": MatterStatus.choices,
            "can_open": viewer.can(Action.OPEN_MATTER),
            "can_see_patterns": viewer.can(Action.VIEW_LITIGATION_PATTERNS),
        },
    )


@requires(Action.OPEN_MATTER)
def matter_create(request):
    viewer = request.viewer
    members = legal_selectors.legal_members(committee=viewer.committee).exclude(
        pk=viewer.membership.pk
    )
    form = forms.MatterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            matter = services.matter_open(
                actor=viewer, team=request.POST.getlist("team"), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The matter is open. Only its team sees its contents."))
            return redirect("legal_aid:matter", matter.pk)
    return render_in_committee_time(
        request,
        viewer.committee,
        "legal_aid/litigation/matter_form.html",
        {"form": form, "members": members},
        status=400 if form.errors else 200,
    )


def _matter(request, matter_id, action=Action.VIEW_MATTER):
    return get_object_or_404(
        litigation.matter_for_viewer(viewer=request.viewer),
        request.viewer,
        action,
        pk=matter_id,
    )


def matter_page(request, matter, *, forms_given=None, status=200):
    """The matter's page, for its team: contents, evidence with its sources, declarants
    (a name and contact only once they agreed), key dates, documents, history."""
    viewer = request.viewer
    forms_given = forms_given or {}
    audit.audit_record(viewer=viewer, kind="legal_aid.matter_viewed", target=matter)
    page = litigation.matter_page(matter)
    services.declarant_viewed(
        actor=viewer, declarants=[d for d in page["declarants"] if d.consented]
    )
    on_team = {s.membership_id for s in matter.team.all() if s.membership_id}
    candidates = services.declarant_candidates(matter=matter, links=page["links"])
    names = dict(
        Person.objects.filter(pk__in=[p for _l, p, _r in candidates]).values_list(
            "pk", "preferred_name"
        )
    )
    context = {
        "matter": matter,
        **page,
        "edit_form": forms_given.get("edit")
        or forms.MatterEditForm(
            initial={
                "public_name": matter.public_name,
                "claim_kind": matter.claim_kind,
                "claim": matter.claim or "",
                "parties": matter.parties or "",
                "court": matter.court,
                "case_number": matter.case_number,
                "status": matter.status,
            }
        ),
        "member_form": forms.TeamMemberForm(
            members=legal_selectors.legal_members(committee=matter.committee).exclude(
                pk__in=on_team
            )
        ),
        "partner_form": forms.PartnerAttorneyForm(
            partners=sources.legal_partners(matter.committee)
        ),
        "date_form": forms_given.get("date") or forms.KeyDateForm(),
        "document_form": forms_given.get("document") or forms.MatterDocumentForm(),
        "evidence_forms": [
            forms.EvidenceForm(
                kind=kind,
                records=sources.choices(matter.committee, kind),
                auto_id=f"id_{kind}_%s",
            )
            for kind in SourceKind.values
        ],
        "declarant_form": forms.DeclarantForm(
            candidates=[
                (
                    f"{link.pk}:{person_id}",
                    f"{(names.get(person_id) or '—').split(' ')[0]} · {role_label(role)} · "
                    f"{link.get_source_kind_display()} #{link.source_id}",
                )
                for link, person_id, role in candidates
            ]
        ),
    }
    return render_in_committee_time(
        request, matter.committee, "legal_aid/litigation/matter_detail.html", context, status=status
    )


def role_label(role: str) -> str:
    return {
        "observer": _("observer"),
        "confirmer": _("confirmer"),
        "court_watcher": _("court watcher"),
        "accompanier": _("accompanier"),
        "client": _("the person at the hearing"),
    }.get(role, role)


@requires()
def matter_detail(request, matter_id):
    return matter_page(request, _matter(request, matter_id))


@requires()
@require_POST
def matter_edit(request, matter_id):
    matter = _matter(request, matter_id, Action.EDIT_MATTER)
    form = forms.MatterEditForm(request.POST)
    if form.is_valid():
        try:
            services.matter_update(actor=request.viewer, matter=matter, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("legal_aid:matter", matter.pk)
    matter = _matter(request, matter_id)
    return matter_page(request, matter, forms_given={"edit": form}, status=400)


@requires()
@require_POST
def matter_team_add(request, matter_id):
    matter = _matter(request, matter_id, Action.EDIT_MATTER)
    viewer = request.viewer
    try:
        if request.POST.get("partner"):
            form = forms.PartnerAttorneyForm(
                request.POST, partners=sources.legal_partners(matter.committee)
            )
            if not form.is_valid():
                raise ValidationError(_("Choose the organization and give the attorney's name."))
            services.matter_partner_attorney_add(
                actor=viewer,
                matter=matter,
                partner_id=form.cleaned_data["partner"],
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        else:
            services.matter_team_add(
                actor=viewer,
                matter=matter,
                membership_id=request.POST.get("membership") or 0,
                role=request.POST.get("role", ""),
            )
    except (ValidationError, ValueError) as error:
        messages.error(request, error_text(error) if isinstance(error, ValidationError) else "")
    else:
        messages.success(request, _("The team is updated."))
    return redirect("legal_aid:matter", matter.pk)


@requires()
@require_POST
def matter_team_remove(request, seat_id):
    viewer = request.viewer
    seat = get_object_or_404(MatterTeamMember.objects.all(), viewer, pk=seat_id)
    matter = _matter(request, seat.matter_id, Action.EDIT_MATTER)
    try:
        services.matter_team_remove(actor=viewer, seat=seat)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The team is updated."))
    return redirect("legal_aid:matter", matter.pk)


@requires()
@require_POST
def key_date_add(request, matter_id):
    matter = _matter(request, matter_id, Action.EDIT_MATTER)
    form = forms.KeyDateForm(request.POST)
    if form.is_valid():
        try:
            services.key_date_add(actor=request.viewer, matter=matter, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The date is added; the team will be reminded."))
            return redirect("legal_aid:matter", matter.pk)
    return matter_page(request, matter, forms_given={"date": form}, status=400)


@requires()
@require_POST
def key_date_done(request, key_date_id):
    viewer = request.viewer
    key_date = get_object_or_404(
        KeyDate.objects.select_related("matter").prefetch_related("matter__team"),
        viewer,
        Action.EDIT_MATTER,
        pk=key_date_id,
    )
    services.key_date_done(actor=viewer, key_date=key_date)
    return redirect("legal_aid:matter", key_date.matter_id)


@requires()
@require_POST
def matter_document_upload(request, matter_id):
    matter = _matter(request, matter_id, Action.EDIT_MATTER)
    form = forms.MatterDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.matter_document_upload(
                actor=request.viewer,
                matter=matter,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["upload"],
            )
        except ValidationError as error:
            form.add_error("upload", error_text(error))
        else:
            messages.success(request, _("The document is stored, encrypted."))
            return redirect("legal_aid:matter", matter.pk)
    return matter_page(request, matter, forms_given={"document": form}, status=400)


@requires()
def matter_document(request, matter_document_id):
    viewer = request.viewer
    document = get_object_or_404(
        MatterDocument.objects.select_related("matter__committee").prefetch_related("matter__team"),
        viewer,
        Action.VIEW_MATTER,
        pk=matter_document_id,
    )
    content, content_type, filename = services.matter_document_read(actor=viewer, document=document)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@requires()
def packet(request, matter_id):
    matter = _matter(request, matter_id)
    links = litigation.evidence_links(matter)
    content = services.packet_export(
        actor=request.viewer, matter=matter, links=links, language=get_language() or "en"
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="evidence-packet-{matter.pk}.pdf"'
    return response


@requires(Action.VIEW_LITIGATION_PATTERNS)
def pattern_page(request):
    viewer = request.viewer
    try:
        months = max(3, min(int(request.GET.get("months", patterns.MONTHS)), 36))
    except ValueError:
        raise Http404 from None
    tables = patterns.patterns(committee=viewer.committee, months=months)
    return render_in_committee_time(
        request,
        viewer.committee,
        "legal_aid/litigation/patterns.html",
        {"tables": tables, "months": months, "threshold": patterns.SUPPRESS_BELOW},
    )
