"""The directory's list: a table on a laptop (sortable, with bulk actions), a list on a
phone; searches travel by POST."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from committees.access import Action, requires

from .. import selectors
from ..audit import audit_directory_contacts
from ..filters import FILTERS_FRAGMENT_SECONDS, MAX_CHOSEN, PersonFilter, filters_fragment_key

# Filters shown at once; the others fold away on a phone.
MAIN_FILTERS = ("q", "language", "zone", "skill")


@requires(Action.VIEW_DIRECTORY)
def person_list(request):
    """The directory. Searches are POSTed (the form, htmx, the sort and page buttons), so
    a name or phone searched for never lands in a URL, the browser's history or a server
    log; a GET shows the list with the non-identifying filters of its query string."""
    viewer = request.viewer
    if request.method == "POST":
        data = request.POST
    else:
        data = request.GET.copy()
        data.pop("q", None)
    people_filter = PersonFilter(data or None, viewer=viewer)
    sort = data.get("order") or data.get("sort") or "name"
    sort = sort if sort in selectors.DIRECTORY_SORTS else "name"
    show_contact = viewer.can(Action.VIEW_CONTACT_DETAILS)
    page = selectors.directory_page(
        people_filter.qs, data.get("page"), sort=sort, contacts=show_contact
    )
    if show_contact:
        audit_directory_contacts(viewer=viewer, rows=page.object_list)
    filters = {
        name: value for name, value in data.items() if name in PersonFilter.base_filters and value
    }
    context = {
        "page": page,
        "sort": sort,
        "show_contact": show_contact,
        "columns": _columns(sort),
        "filters": filters,
        "export_query": urlencode({k: v for k, v in filters.items() if k != "q"}),
        "searching": bool(filters.get("q")),
        "add_to_training_url": _optional_url(TRAINING_BULK_URL),
    }
    if request.htmx and not request.htmx.history_restore_request:
        # The filters ask for the results only (hx-select="#people-results"): the form
        # they come from is already on the screen.
        response = render(request, "members/_people_results.html", context)
    else:
        form = people_filter.form
        context.update(
            form=form, search_field=form["q"], filters_html=_filters_html(form, data, viewer)
        )
        response = render(request, "members/person_list.html", context)
    if show_contact:
        response["Cache-Control"] = "no-store"
    return response


def _filters_html(form, data, viewer) -> str:
    """The filters' markup but the search box: from the cache unless the form has
    errors (an invalid value is shown as it came, never cached)."""
    key = None
    if not form.errors and viewer.committee is not None:
        key = filters_fragment_key(viewer, data, get_language() or "en")
        cached = cache.get(key)
        if cached is not None:
            return mark_safe(cached)  # noqa: S308 (markup this function rendered)
    more_filters = [
        form[name] for name in form.fields if name not in MAIN_FILTERS and name != "people"
    ]
    html = render_to_string(
        "members/_people_filters.html",
        {
            "main_filters": [form[name] for name in MAIN_FILTERS if name != "q"],
            "more_filters": more_filters,
            "more_open": any(data.get(f.name) for f in more_filters),
        },
    )
    if key is not None:
        cache.set(key, str(html), FILTERS_FRAGMENT_SECONDS)
    return mark_safe(html)  # noqa: S308 (the template escaped every value)


# The laptop table's sortable columns: (sort key, label).
SORTABLE = {"name": _lazy("Name"), "language": _lazy("Languages"), "status": _lazy("Status")}
# "Add to a training" is the trainings part's page; the directory links to it by name only
# (the base never imports a feature app) and hides the button where it is not installed.
TRAINING_BULK_URL = "trainings:add_people"


def _columns(sort: str) -> dict[str, dict]:
    """Each sortable column: the sort its header button asks for and its aria-sort."""
    columns = {}
    for key, label in SORTABLE.items():
        current = sort.lstrip("-") == key
        descending = sort.startswith("-")
        columns[key] = {
            "label": label,
            "next": f"-{key}" if current and not descending else key,
            "aria_sort": ("descending" if descending else "ascending") if current else "none",
        }
    return columns


def _optional_url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


@requires(Action.VIEW_DIRECTORY)
@require_POST
def person_bulk(request):
    """What the directory does with people ticked in the table (or everyone matching its
    filters): message them, or export them. Both go on to their own pages with the
    people's ids (never a searched name) in the URL; the export still asks for the
    password again and is recorded, as any export."""
    viewer = request.viewer
    action = request.POST.get("action")
    needed = {"message": Action.SEND_MESSAGES, "export": Action.EXPORT_PEOPLE}
    if action not in needed or not viewer.can(needed[action]):
        raise PermissionDenied
    query = _chosen_query(request)
    if query is None:
        return redirect("members:person_list")
    target = {"message": "notifications:compose", "export": "members:export"}[action]
    return redirect(f"{reverse(target)}?{query}")


def _chosen_query(request) -> str | None:
    """The query string that names the chosen people, or None (with a message)."""
    viewer = request.viewer
    if request.POST.get("scope") == "all":
        filters = {k: v for k, v in request.POST.items() if k in PersonFilter.base_filters and v}
        if not filters.get("q"):
            return urlencode(filters)
        people_filter = PersonFilter(filters, viewer=viewer)
        ids = list(people_filter.qs.values_list("pk", flat=True)[: MAX_CHOSEN + 1])
    else:
        wanted = [int(pk) for pk in request.POST.getlist("person") if pk.isdigit()]
        people = selectors.person_list(viewer=viewer).filter(pk__in=wanted[: MAX_CHOSEN + 1])
        ids = list(people.values_list("pk", flat=True))
    if not ids:
        messages.error(request, _("Tick the people first."))
        return None
    if len(ids) > MAX_CHOSEN:
        messages.error(
            request,
            _("That is more than %(n)s people: narrow the search or the filters first.")
            % {"n": MAX_CHOSEN},
        )
        return None
    return urlencode({"people": ",".join(str(pk) for pk in ids)})
