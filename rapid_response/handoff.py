"""The hand-offs to the legal-aid and bond-fund parts, through their services only.

Imported lazily: those parts are optional in a deployment and never import this one.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def legal_aid_installed() -> bool:
    return apps.is_installed("legal_aid")


def bond_fund_installed() -> bool:
    return apps.is_installed("bond_fund")


def legal_request_open(*, actor, incident_id: int, name="", phone="", language="es", note=""):
    if not legal_aid_installed():
        raise ValidationError(_("Legal aid is not part of this installation."))
    from legal_aid.services import legal_request_open_from_incident

    return legal_request_open_from_incident(
        actor=actor, incident_id=incident_id, name=name, phone=phone, language=language, note=note
    )


def bond_request_open(*, actor, case_id: int, amount_cents=None, note=""):
    if not bond_fund_installed():
        raise ValidationError(_("The bond fund is not part of this installation."))
    from bond_fund.services import bond_request_open as open_bond_request

    return open_bond_request(
        actor=actor,
        case_id=case_id,
        amount_cents=amount_cents,
        note=note,
        source="rapid_response",
    )


def cases_for_bond_choice(*, viewer) -> list[tuple[int, str]]:
    if not legal_aid_installed():
        return []
    from legal_aid.selectors import cases_for_bond_choice as choices

    return choices(viewer=viewer)


def _link(names, **kwargs) -> str | None:
    from django.urls import NoReverseMatch, reverse

    for name in names:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None


def legal_request_url(request_id: int) -> str | None:
    """The legal-aid page of a request (legal aid checks who may open it)."""
    return _link(("legal_aid:request", "legal_aid:request_detail"), request_id=request_id)


def bond_request_url(request_id: int) -> str | None:
    return _link(("bond_fund:bond", "bond_fund:bond_detail"), bond_id=request_id)
