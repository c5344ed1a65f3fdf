"""What erasing a person removes from the bond fund (see members.erasure).

Pledges and payments stay in the books (the ledger is append-only and the accountant
needs the amounts), but no longer point at the person or show their name.
"""

from members import erasure


@erasure.register
def erase_pledger(person) -> None:
    from .models import BondRequest, OnCallDonor, Pledge

    Pledge.objects.filter(person=person).update(person=None, public_name="")
    OnCallDonor.objects.filter(person=person).delete()
    BondRequest.objects.filter(person=person).update(person=None, first_name="")
