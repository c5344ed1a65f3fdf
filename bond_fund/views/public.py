"""The public pledge pages: per committee (the general fund and the bonds raising money)
and per bond. They show a story without names, the amount needed and a progress bar;
never who the bonded person is, and never a donor's name unless they asked for it.
A pledge is a promise: no card payments here."""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from committees.access import public
from committees.models import Committee
from members.crypto import lookup_hash

from .. import selectors, services
from ..forms import PublicPledgeForm
from ..models import BondStatus, PledgeStatus

IP_LIMIT = (30, 60 * 60)
CONTACT_LIMIT = (5, 60 * 60)


def allow(key: str, limit: tuple[int, int]) -> bool:
    """Count one hit for `key` (an IP or a contact's keyed hash, never the contact)."""
    most, seconds = limit
    cache_key = f"bond_fund:throttle:{key}"
    cache.add(cache_key, 0, seconds)
    try:
        hits = cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, seconds)
        hits = 1
    return hits <= most


def _client_ip(request) -> str:
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except Exception:  # no address at all (a test client, a misconfigured proxy)
        return request.META.get("REMOTE_ADDR") or "unknown"


def _committee(committee_slug) -> Committee:
    committee = Committee.objects.filter(slug=committee_slug).first()
    if committee is None:
        raise Http404
    return committee


def _pledge_page(request, committee, bond, template, context):
    form = PublicPledgeForm(
        request.POST or None,
        committee=committee,
        initial={"language": translation.get_language()},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if not allow(f"ip:{_client_ip(request)}", IP_LIMIT):
            form.add_error(None, _("Too many attempts. Please wait an hour and try again."))
            status = 429
        elif form.looks_automated():
            form.add_error(
                None,
                _(
                    "Sorry, we could not accept the form. "
                    "Please check your details and send it again."
                ),
            )
        elif form.is_valid():
            data = form.cleaned_data
            contact = lookup_hash(data["phone"] or data["email"])
            if not allow(f"contact:{contact}", CONTACT_LIMIT):
                form.add_error(None, _("Too many attempts. Please wait an hour and try again."))
                status = 429
            else:
                try:
                    services.pledge_public_submit(
                        committee=committee,
                        name=data["name"],
                        phone=data["phone"],
                        email=data["email"],
                        language=data["language"],
                        amount_cents=data["amount"],
                        due_on=data["due_on"],
                        bond=bond,
                        consent=data["consent"],
                        on_call=data["on_call"],
                        public_name=data["public_name"],
                    )
                except services.pledges.ValidationError as error:
                    form.add_error(None, " ".join(error.messages))
                else:
                    return render(
                        request,
                        "bond_fund/public_thanks.html",
                        {"committee": committee, "bond": bond, "amount": data["amount"]},
                    )
    return render(
        request, template, {**context, "committee": committee, "form": form}, status=status
    )


@public
def public_pledge(request, committee_slug):
    committee = _committee(committee_slug)
    bonds = list(selectors.public_bonds(committee=committee)[:20])
    return _pledge_page(request, committee, None, "bond_fund/public_pledge.html", {"bonds": bonds})


@public
def public_bond(request, committee_slug, public_bond_id):
    committee = _committee(committee_slug)
    bond = selectors.public_bonds(committee=committee).filter(pk=public_bond_id).first()
    if bond is None:
        raise Http404
    supporters = list(
        bond.pledges.exclude(public_name="")
        .exclude(status=PledgeStatus.CANCELLED)
        .values_list("public_name", flat=True)[:50]
    )
    return _pledge_page(
        request,
        committee,
        bond,
        "bond_fund/public_bond.html",
        {"bond": bond, "supporters": supporters, "raising": bond.status == BondStatus.FUNDING},
    )
