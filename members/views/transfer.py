"""CSV import (upload, preview, confirm) and export."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from committees.access import Action, requires
from lib.csv_io import MAX_UPLOAD_BYTES, CsvFileError, too_large_message, write_csv

from .. import selectors, services
from ..filters import PersonFilter
from ..forms import ImportConfirmForm, ImportUploadForm
from ..services.exports import export_header

# Room for the multipart envelope around a file just under the limit.
ENVELOPE_BYTES = 64 * 1024
SHOWN_ROWS = 200
CHANGE_LABELS = {
    "preferred_name": gettext_lazy("name"),
    "full_name": gettext_lazy("full name"),
    "phone": gettext_lazy("phone"),
    "email": gettext_lazy("email"),
    "language": gettext_lazy("language"),
    "other_languages": gettext_lazy("other languages"),
    "skills": gettext_lazy("skills"),
    "zones": gettext_lazy("zones"),
}


def _declared_size(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@requires(Action.IMPORT_PEOPLE)
@csrf_exempt  # the CSRF check runs below, after the size check (csrf_protect)
def import_upload(request):
    """Upload a CSV. A body over the limit is refused before it is read or stored."""
    if request.method == "POST" and _declared_size(request) > MAX_UPLOAD_BYTES + ENVELOPE_BYTES:
        return _upload_page(request, ImportUploadForm(), too_large_message(), status=413)
    return _import_upload(request)


@csrf_protect
def _import_upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.import_preview(actor=request.viewer, upload=form.cleaned_data["file"])
        except CsvFileError as error:
            return _upload_page(request, form, " ".join(error.messages), status=400)
        return redirect("members:import_detail", batch_id=batch.pk)
    return _upload_page(request, form, None, status=400 if form.errors else 200)


def _upload_page(request, form, file_error, status):
    return render(
        request,
        "members/import_upload.html",
        {"form": form, "file_error": file_error},
        status=status,
    )


@requires(Action.IMPORT_PEOPLE)
def import_detail(request, batch_id):
    """The preview of every row, and the explicit confirmation that imports them."""
    viewer = request.viewer
    batch = selectors.import_batch(viewer=viewer, batch_id=batch_id, action=None)
    form = ImportConfirmForm(
        request.POST or None,
        initial={"wording_language": translation.get_language()[:2]},
    )
    if request.method == "POST":
        if request.POST.get("discard"):
            try:
                services.import_discard(actor=viewer, batch=batch)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Import cancelled. Nothing was added."))
            return redirect("members:import_upload")
        if form.is_valid():
            consent = services.ImportConsent(
                pairs=form.consent_pairs(),
                wording=form.cleaned_data["wording"].strip(),
                language=form.cleaned_data["wording_language"],
            )
            try:
                result = services.import_commit(
                    actor=viewer,
                    batch=batch,
                    update_existing=form.cleaned_data["existing"] == form.UPDATE,
                    consent=consent if consent.pairs else None,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("members:import_detail", batch_id=batch.pk)
            messages.success(request, _import_summary(result))
            return redirect("members:person_list")
    contents = services.import_contents(batch)
    rows = contents["rows"]
    errors = [r for r in rows if r["action"] == "error"]
    for row in errors:
        row["messages"] = [services.row_error_message(e) for e in row["errors"]]
    updates = [r for r in rows if r["action"] == "update"]
    for row in updates:
        row["changes"] = [str(CHANGE_LABELS.get(name, name)) for name in row["changes"]]
    return render(
        request,
        "members/import_preview.html",
        {
            "batch": batch,
            "ignored_columns": contents["ignored"],
            "form": form,
            "errors": errors,
            "updates": updates[:SHOWN_ROWS],
            "more_updates": max(0, len(updates) - SHOWN_ROWS),
            "new_rows": [r for r in rows if r["action"] == "new"][:20],
            "is_open": batch.status == batch.Status.PREVIEW and not batch.is_expired,
        },
        status=400 if form.errors else 200,
    )


def _import_summary(result) -> str:
    parts = [
        ngettext("%(n)s person added", "%(n)s people added", result.created)
        % {"n": result.created},
        ngettext("%(n)s updated", "%(n)s updated", result.updated) % {"n": result.updated},
    ]
    if result.unchanged:
        parts.append(
            ngettext("%(n)s left as they were", "%(n)s left as they were", result.unchanged)
            % {"n": result.unchanged}
        )
    if result.consents:
        parts.append(
            ngettext("%(n)s consent recorded", "%(n)s consents recorded", result.consents)
            % {"n": result.consents}
        )
    return _("Imported: %(summary)s.") % {"summary": ", ".join(parts)}


@requires(Action.EXPORT_PEOPLE)
@reauthentication_required
def people_export(request):
    """The filtered list as CSV: coordinators, after entering their password again."""
    viewer = request.viewer
    people_filter = PersonFilter(request.GET or None, viewer=viewer)
    if people_filter.is_bound and not people_filter.is_valid():
        messages.error(request, _("Those filters are not valid; nothing was exported."))
        return redirect(reverse("members:person_list") + "?" + request.GET.urlencode())
    _count, rows = services.people_export(
        actor=viewer, people=people_filter.qs, description=people_filter.description()
    )
    language = translation.get_language()

    def content():
        with translation.override(language):
            yield from write_csv(rows, export_header())

    response = StreamingHttpResponse(content(), content_type="text/csv; charset=utf-8")
    filename = f"people-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
