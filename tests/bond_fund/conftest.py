"""The bond fund's boundary with legal_aid is bond_fund.cases; tests replace it with a
small in-memory set of cases (the integrator's test runs it against legal_aid itself)."""

from dataclasses import dataclass
from datetime import datetime

import pytest

from bond_fund import cases
from notifications.backends import locmem

from ..factories import PersonFactory


@dataclass
class FakeCaseSummary:
    case_id: int
    person_id: int
    person_first_name: str
    status: str = "open"
    next_hearing_at: datetime | None = None
    next_hearing_kind: str = ""
    detention_facility_known: bool = True


@dataclass
class FakeHearing:
    hearing_id: int
    case_id: int
    starts_at: datetime
    kind: str
    status: str
    outcome: str = ""


class LegalCases:
    def __init__(self):
        self.by_id: dict[int, tuple] = {}
        self.hearings: dict[int, list] = {}

    def add(self, committee, *, person=None, case_id=None, next_hearing_at=None):
        person = person or PersonFactory(committee=committee, preferred_name="Rosa")
        case_id = case_id or 1000 + len(self.by_id)
        self.by_id[case_id] = (
            committee.pk,
            FakeCaseSummary(
                case_id=case_id,
                person_id=person.pk,
                person_first_name=person.preferred_name,
                next_hearing_at=next_hearing_at,
            ),
        )
        return case_id

    def summary(self, *, case_id, committee):
        found = self.by_id.get(case_id)
        return found[1] if found and found[0] == committee.pk else None

    def hearings_for(self, *, case_ids):
        return {c: self.hearings.get(c, []) for c in case_ids}

    def choices(self, *, viewer):
        return [
            (case_id, f"{s.person_first_name} #{case_id}")
            for case_id, (committee_id, s) in self.by_id.items()
            if committee_id == viewer.committee.pk
        ]


@pytest.fixture(autouse=True)
def legal_cases(monkeypatch):
    registry = LegalCases()
    monkeypatch.setattr(cases, "case_summary", registry.summary)
    monkeypatch.setattr(cases, "hearings_for_cases", registry.hearings_for)
    monkeypatch.setattr(cases, "cases_for_bond_choice", registry.choices)
    return registry


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    locmem.outbox.clear()
    yield
    locmem.outbox.clear()
