"""The organizers' directory: detail, create, edit, consent, merge, erase (the list is
in `listing`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees import confirm
from committees import services as committee_services
from committees.access import Action, get_object_or_404, requires
from committees.dashboard import Panel, register

from .. import selectors, services
from ..audit import audit_person_viewed
from ..consent import consent_wordings
from ..forms import AuditFilterForm, PersonForm, SkillForm, SpokenConsentForm
from ..models import Skill

PAGE_SIZE = 50


@register
def erasure_requests_panel(viewer):
    if not viewer.can(Action.ERASE_PERSON):
        return None
    pending = selectors.erasure_requests_pending(viewer=viewer)
    count = pending.count()
    if not count:
        return None
    return Panel(
        template="members/panels/erasure_requests.html",
        context={"count": count},
        order=20,
    )


def _detail_context(viewer, person):
    show_contact = viewer.can(Action.VIEW_CONTACT_DETAILS)
    show_notes = viewer.can(Action.VIEW_COORDINATOR_NOTES)
    audit_person_viewed(
        viewer=viewer,
        person=person,
        contact=show_contact and bool(person.phone or person.email),
        notes=show_notes and bool(person.notes),
    )
    return {"show_contact": show_contact, "show_notes": show_notes}


@requires(Action.VIEW_DIRECTORY)
def person_detail(request, person_id):
    viewer = request.viewer
    person = selectors.person_detail(viewer=viewer, person_id=person_id, action=None)
    context = _detail_context(viewer, person)
    context.update(
        person=person,
        consents=selectors.consent_overview(person=person),
        history=selectors.consent_history(person=person)[:20],
        duplicates=selectors.duplicate_candidates(viewer=viewer, person=person)
        if viewer.can(Action.EDIT_PEOPLE)
        else [],
        erasure_pending=selectors.erasure_requests_pending(viewer=viewer)
        .filter(person=person)
        .exists(),
    )
    return render(request, "members/person_detail.html", context)


@requires(Action.EDIT_PEOPLE)
def person_create(request):
    viewer = request.viewer
    include_notes = viewer.can(Action.VIEW_COORDINATOR_NOTES)
    form = PersonForm(request.POST or None, viewer=viewer, include_notes=include_notes)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=viewer, **form.service_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Added to the directory."))
            return redirect("members:person_detail", person_id=person.pk)
    return render(
        request,
        "members/person_form.html",
        {"form": form, "person": None},
        status=400 if form.errors else 200,
    )


@requires(Action.EDIT_PEOPLE)
def person_edit(request, person_id):
    viewer = request.viewer
    person = selectors.person_detail(viewer=viewer, person_id=person_id, action=None)
    include_notes = viewer.can(Action.VIEW_COORDINATOR_NOTES)
    form = PersonForm(
        request.POST or None,
        viewer=viewer,
        include_notes=include_notes,
        initial=PersonForm.initial_for(person, include_notes=include_notes),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=viewer, person=person, **form.service_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("members:person_detail", person_id=person.pk)
    if request.method == "GET":
        _detail_context(viewer, person)
    return render(
        request,
        "members/person_form.html",
        {"form": form, "person": person},
        status=400 if form.errors else 200,
    )


@requires(Action.EDIT_PEOPLE)
def person_consent(request, person_id):
    """An organizer records what someone said, in person or on the phone."""
    viewer = request.viewer
    person = selectors.person_detail(viewer=viewer, person_id=person_id, action=None)
    form = SpokenConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.consent_record_many(
            actor=viewer,
            person=person,
            purposes=data["purpose"],
            channels=data["channel"],
            granted=data["granted"],
            source="spoken",
        )
        messages.success(request, _("Consent recorded."))
        return redirect("members:person_detail", person_id=person.pk)
    with translation.override(person.language):
        wordings = consent_wordings(committee_name=viewer.committee.name)
    return render(
        request,
        "members/person_consent.html",
        {"form": form, "person": person, "wordings": wordings},
        status=400 if form.errors else 200,
    )


@requires(Action.EDIT_PEOPLE)
def person_merge(request, person_id):
    """Find a duplicate of this person, compare the two, and merge on confirmation."""
    viewer = request.viewer
    person = selectors.person_detail(viewer=viewer, person_id=person_id, action=None)
    duplicate = None
    duplicate_id = request.POST.get("duplicate") or request.GET.get("duplicate")
    if duplicate_id:
        duplicate = selectors.person_detail(
            viewer=viewer, person_id=duplicate_id, action=Action.EDIT_PEOPLE
        )
    if request.method == "POST" and duplicate is not None:
        try:
            services.person_merge(actor=viewer, keep=person, duplicate=duplicate)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The two records are now one."))
            return redirect("members:person_detail", person_id=person.pk)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        results = selectors.person_search(selectors.person_list(viewer=viewer), query)
        results = results.exclude(pk=person.pk)[:20]
    else:
        results = selectors.duplicate_candidates(viewer=viewer, person=person)
    context = {"person": person, "duplicate": duplicate, "results": results, "query": query}
    if duplicate is not None:
        context.update(_detail_context(viewer, person))
        _detail_context(viewer, duplicate)
    return render(request, "members/person_merge.html", context)


@requires(Action.INVITE)
@require_POST
def person_invite(request, person_id):
    """Invite someone from the directory to sign in; their record becomes theirs."""
    viewer = request.viewer
    person = selectors.person_detail(viewer=viewer, person_id=person_id, action=None)
    if not person.email or person.user_id:
        messages.error(request, _("Add an email address first: the invitation is for it."))
        return redirect("members:person_detail", person_id=person.pk)
    _invitation, token = committee_services.invitation_create(
        actor=viewer, email=person.email, roles=[], person=person
    )
    return render(
        request,
        "members/person_invite.html",
        {"person": person, "link": request.build_absolute_uri(reverse("join", args=[token]))},
    )


@requires(Action.ERASE_PERSON)
def person_erase(request, person_id):
    viewer = request.viewer
    person = selectors.person_detail(viewer=viewer, person_id=person_id, action=None)
    if confirm.confirmed(request):
        try:
            services.person_erase(actor=viewer, person=person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("members:person_detail", person_id=person.pk)
        messages.success(request, _("Erased. Nothing identifying this person remains."))
        return redirect("members:person_list")
    requested = selectors.erasure_requests_pending(viewer=viewer).filter(person=person).first()
    return render(
        request, "members/person_erase.html", {"person": person, "request_pending": requested}
    )


@requires(Action.ERASE_PERSON)
def erasure_requests(request):
    pending = selectors.erasure_requests_pending(viewer=request.viewer)
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "members/erasure_requests.html", {"page": page})


@requires(Action.EDIT_PEOPLE)
def skill_list(request):
    viewer = request.viewer
    form = SkillForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.skill_save(actor=viewer, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Skill added."))
            return redirect("members:skill_list")
    return render(
        request,
        "members/skill_list.html",
        {"form": form, "skills": selectors.skill_list(viewer=viewer)},
        status=400 if form.errors else 200,
    )


@requires(Action.EDIT_PEOPLE)
def skill_edit(request, skill_id):
    viewer = request.viewer
    skill = get_object_or_404(Skill, viewer, pk=skill_id)
    form = SkillForm(
        request.POST or None, initial={"name_en": skill.name_en, "name_es": skill.name_es}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.skill_save(actor=viewer, skill=skill, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Skill saved."))
            return redirect("members:skill_list")
    return render(
        request,
        "members/skill_edit.html",
        {"form": form, "skill": skill},
        status=400 if form.errors else 200,
    )


@requires(Action.VIEW_PEOPLE_AUDIT)
def audit_log(request):
    """Who viewed or exported what: one page for every app's sensitive reads, filtered
    by person, actor and kind."""
    viewer = request.viewer
    form = AuditFilterForm(request.GET or None, viewer=viewer)
    filters = form.filters()
    events = selectors.audit_events(viewer=viewer, **filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    about = None
    if filters.get("person_id"):
        about = selectors.audit_subject(viewer=viewer, person_id=filters["person_id"])
    return render(request, "members/audit_log.html", {"page": page, "form": form, "about": about})
