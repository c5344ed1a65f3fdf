"""The public page a proof-of-control link opens (see members.proofs)."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from committees.access import public

from .. import services


@public
@never_cache
def contact_proof(request, token):
    """GET shows a button, POST confirms: link previews that fetch the page (messaging
    apps do) must not confirm on the owner's behalf."""
    proof = services.contact_proof_find(token=token)
    if proof is None:
        return render(request, "members/contact_proof.html", {"state": "unusable"}, status=410)
    if request.method == "POST":
        services.contact_proof_confirm(token=token)
        return render(request, "members/contact_proof.html", {"state": "confirmed", "proof": proof})
    return render(request, "members/contact_proof.html", {"state": "ask", "proof": proof})
