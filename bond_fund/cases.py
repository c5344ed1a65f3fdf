"""The bond fund's one door to legal_aid (its selectors, never its models).

Imported lazily so that this app loads, and its tests run, whether or not legal_aid is
installed beside it; tests replace these three functions.
"""

from __future__ import annotations


def case_summary(*, case_id: int, committee):
    """legal_aid's CaseSummary for a case of this committee, or None."""
    from legal_aid import selectors

    return selectors.case_summary(case_id=case_id, committee=committee)


def hearings_for_cases(*, case_ids: list[int]) -> dict:
    """{case_id: [HearingSummary, ...]} for the bonded people's cases."""
    if not case_ids:
        return {}
    from legal_aid import selectors

    return selectors.hearings_for_cases(case_ids=list(case_ids))


def cases_for_bond_choice(*, viewer) -> list[tuple[int, str]]:
    """(case_id, label without surname or A-number) for the bond request form."""
    from legal_aid import selectors

    return selectors.cases_for_bond_choice(viewer=viewer)
