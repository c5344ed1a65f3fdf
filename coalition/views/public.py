"""The committee's public page (no account), its Know Your Rights red cards, and the
documents of the commitments it chose to publish.

Links to the other parts' public pages are made by URL name; a part that is not
installed has no URL and its link is left out rather than breaking the page."""

from __future__ import annotations

from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from committees.access import public
from committees.models import Committee
from lib import throttle
from lib.crypto import lookup_hash

from .. import selectors, services
from ..forms import VolunteerForm
from ..services.public import profile_for
from .common import page

# (key, URL name) of the other parts' public pages, all taking the committee's slug.
PUBLIC_LINKS = (
    ("report", "rapid_response_public:report"),
    ("legal", "legal_aid_public:intake"),
    ("trainings", "trainings_public:calendar"),
    ("pledge", "bond_fund_public:pledge"),
    ("red_card", "coalition_public:red_card"),
)


def public_links(committee) -> dict[str, str | None]:
    links = {}
    for key, name in PUBLIC_LINKS:
        try:
            links[key] = reverse(name, kwargs={"committee_slug": committee.slug})
        except NoReverseMatch:
            links[key] = None
    return links


def _committee(committee_slug) -> Committee:
    committee = Committee.objects.filter(slug=committee_slug).first()
    if committee is None:
        raise Http404
    return committee


def _hotline(committee, profile) -> str:
    """The number people call or text: the one the committee wrote, else its SMS number."""
    return profile.hotline or str(committee.sms_number or "")


def _public_page(request, committee, form, status=200):
    profile = profile_for(committee)
    return page(
        request,
        "coalition/public_page.html",
        {
            "committee": committee,
            "profile": profile,
            "hotline": _hotline(committee, profile),
            "facts": selectors.facts(committee=committee),
            "scorecard": selectors.scorecard(committee=committee),
            "public_links": public_links(committee),
            "form": form,
        },
        status=status,
        committee=committee,
    )


@public
def public_page(request, committee_slug):
    committee = _committee(committee_slug)
    form = VolunteerForm(
        request.POST or None,
        committee=committee,
        initial={"language": translation.get_language()},
    )
    if request.method != "POST":
        return _public_page(request, committee, form)
    status = 400
    if not throttle.allow(f"ip:{throttle.client_ip(request)}", throttle.ip_limit()):
        form.add_error(None, _("Too many attempts. Please wait an hour and try again."))
        status = 429
    elif form.looks_automated():
        form.add_error(
            None,
            _("Sorry, we could not accept the form. Please check your details and send it again."),
        )
    elif form.is_valid():
        data = form.cleaned_data
        contact = lookup_hash(data["phone"] or data["email"])
        if not throttle.allow(f"volunteer:{contact}", throttle.CONTACT_LIMIT):
            form.add_error(None, _("Too many attempts. Please wait an hour and try again."))
            status = 429
        else:
            services.volunteer_offer(
                committee=committee,
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                language=data["language"],
                interests=data["interests"],
            )
            # The same answer whether or not the contact was already known.
            return page(
                request,
                "coalition/public_thanks.html",
                {"committee": committee, "public_links": public_links(committee)},
                committee=committee,
            )
    if not form.stamp_is_usable():
        form.data = form.data.copy()
        form.data["started"] = form.fresh_started()
    return _public_page(request, committee, form, status=status)


@public
def red_card(request, committee_slug):
    """Know Your Rights red cards in English and Spanish, ready to print."""
    committee = _committee(committee_slug)
    return page(
        request,
        "coalition/red_card.html",
        {"committee": committee, "hotline": _hotline(committee, profile_for(committee))},
        committee=committee,
    )


@public
def public_document(request, committee_slug, public_commitment_id):
    """A published commitment's document, when the committee made it public too."""
    committee = _committee(committee_slug)
    commitment = (
        selectors.scorecard(committee=committee)
        .select_related("document")
        .filter(pk=public_commitment_id, document_public=True, document__isnull=False)
        .first()
    )
    if commitment is None:
        raise Http404
    from .officials import _download

    response = _download(commitment.document)
    response["Cache-Control"] = "public, max-age=300"  # unpublishing takes effect soon
    return response
