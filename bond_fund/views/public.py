"""The public pledge pages: per committee (the general fund and the bonds raising money)
and per bond. They show a story without names, the amount needed and a progress bar;
never who the bonded person is, and never a donor's name unless they asked for it.
A pledge is a promise: no card payments here."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from committees.access import public
from committees.models import Committee
from lib import throttle
from lib.crypto import lookup_hash

from .. import selectors, services
from ..forms import PublicPledgeForm
from ..models import BondStatus, PledgeStatus

IP_LIMIT = (30, 60 * 60)


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
        if not throttle.allow(f"bond_fund:ip:{throttle.client_ip(request)}", IP_LIMIT):
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
            if not throttle.allow(f"bond_fund:contact:{contact}", throttle.CONTACT_LIMIT):
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
    if request.method == "POST" and not form.stamp_is_usable():
        # A stale page: a fresh stamp lets them send it again.
        form.data = form.data.copy()
        form.data["started"] = form.fresh_started()
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
