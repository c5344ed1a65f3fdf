"""The bond fund's one door to legal_aid (its selectors, never its models).

Imported lazily, so that this app loads whether or not legal_aid is installed beside
it; without legal_aid there are no cases, and so no new bond requests. Tests replace
these three functions.
"""

from __future__ import annotations

from django.apps import apps


def _selectors():
    if not apps.is_installed("legal_aid"):
        return None
    from legal_aid import selectors

    return selectors


def case_summary(*, case_id: int, committee):
    """legal_aid's CaseSummary for a case of this committee, or None."""
    selectors = _selectors()
    return selectors.case_summary(case_id=case_id, committee=committee) if selectors else None


def hearings_for_cases(*, case_ids: list[int]) -> dict:
    """{case_id: [HearingSummary, ...]} for the bonded people's cases."""
    selectors = _selectors()
    if not case_ids or selectors is None:
        return {}
    return selectors.hearings_for_cases(case_ids=list(case_ids))


def cases_for_bond_choice(*, viewer) -> list[tuple[int, str]]:
    """(case_id, label without surname or A-number) for the bond request form."""
    selectors = _selectors()
    return selectors.cases_for_bond_choice(viewer=viewer) if selectors else []
