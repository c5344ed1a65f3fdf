"""Every Action × every Role × {vetted, probationary, suspended}: may this viewer do it?

The expected answers are written out below, independently of `committees.access.RULES`,
so that changing a rule makes this test fail until the table is changed too (a
deliberate, reviewed decision), and a new Action fails it until its row is written.
Only vetted members have roles in force; probationary and suspended members may do
none of these.
"""

import pytest

from committees.access import Action, load_viewer
from committees.models import MembershipRole
from committees.roles import MembershipStatus, Role

from ..factories import make_member

pytestmark = pytest.mark.django_db

COLUMNS = {
    "C": Role.COORDINATOR,
    "L": Role.LEGAL,
    "T": Role.TREASURER,
    "D": Role.DISPATCHER,
    "TR": Role.TRAINER,
    "R": Role.RESPONDER,
    "M": Role.MEMBER,
}

# x: a vetted member with only that role may; .: may not.
TABLE = """
action                          C  L  T  D  TR R  M
committee.view_dashboard        x  x  x  x  x  .  .
committee.manage_memberships    x  .  .  .  .  .  .
committee.vouch                 x  x  x  x  x  x  x
committee.invite                x  .  .  .  .  .  .
committee.manage_zones          x  .  .  .  .  .  .
people.view_directory           x  x  .  x  x  .  .
people.view_contact_details     x  x  .  x  x  .  .
people.edit                     x  .  .  .  .  .  .
people.view_notes               x  .  .  .  .  .  .
people.import                   x  .  .  .  .  .  .
people.export                   x  .  .  .  .  .  .
people.erase                    x  .  .  .  .  .  .
people.view_audit               x  .  .  .  .  .  .
notifications.send              x  .  .  .  .  .  .
notifications.view_history      x  x  .  x  .  .  .
trainings.manage                x  .  .  .  x  .  .
trainings.run                   x  .  .  .  x  .  .
coalition.view                  x  x  x  x  x  .  .
coalition.manage                x  .  .  .  .  .  .
coalition.view_documents        x  x  .  .  .  .  .
coalition.view_partner_contacts x  x  .  .  .  .  .
bond_fund.view_fund             x  .  x  .  .  .  .
bond_fund.view_bonds            x  x  x  .  .  .  .
bond_fund.request_bond          x  x  x  .  .  .  .
bond_fund.manage_bonds          x  .  x  .  .  .  .
bond_fund.move_money            x  .  x  .  .  .  .
bond_fund.export_ledger         x  .  x  .  .  .  .
bond_fund.settings              x  .  .  .  .  .  .
rapid_response.dispatch         x  .  .  x  .  .  .
rapid_response.view_incidents   x  x  .  x  .  .  .
rapid_response.handoff          x  x  .  x  .  .  .
rapid_response.handoff_bond     x  x  .  .  .  .  .
rapid_response.manage           x  .  .  .  .  .  .
rapid_response.view_reports     x  .  .  x  .  .  .
legal.open_request              x  x  .  x  .  .  .
legal.view_queue                x  x  .  .  .  .  .
legal.triage                    .  x  .  .  .  .  .
legal.view_case_status          x  x  .  .  .  .  .
legal.view_case                 .  x  .  .  .  .  .
legal.view_case_contents        .  x  .  .  .  .  .
legal.edit_case                 .  x  .  .  .  .  .
legal.accompany                 x  x  x  x  x  x  x
legal.view_reports              x  x  .  .  .  .  .
legal.manage_settings           x  x  .  .  .  .  .
legal.view_matter_status        x  x  .  .  .  .  .
legal.open_matter               .  x  .  .  .  .  .
legal.view_matter               .  x  .  .  .  .  .
legal.edit_matter               .  x  .  .  .  .  .
legal.view_litigation_patterns  x  x  .  .  .  .  .
"""


def expected_table() -> dict[str, set[Role]]:
    header, *rows = [line.split() for line in TABLE.strip().splitlines()]
    roles = [COLUMNS[name] for name in header[1:]]
    table = {}
    for action, *marks in rows:
        assert len(marks) == len(roles), f"{action}: one mark per role"
        table[action] = {role for role, mark in zip(roles, marks, strict=True) if mark == "x"}
    return table


EXPECTED = expected_table()


def test_the_table_has_one_row_for_every_action_and_no_other():
    missing = sorted(str(a) for a in Action if str(a) not in EXPECTED)
    unknown = sorted(set(EXPECTED) - {str(a) for a in Action})
    assert not missing, f"write the expected row of these new actions: {missing}"
    assert not unknown, f"these rows name no action: {unknown}"


def viewer_with_only(committee, role: Role, status: str):
    membership = make_member(committee, roles=[role], status=status, mfa=False)
    MembershipRole.objects.filter(membership=membership).exclude(role=role).delete()
    return load_viewer(membership.person.user)


@pytest.mark.parametrize("status", list(MembershipStatus))
@pytest.mark.parametrize("role", list(Role))
def test_every_action_for_this_role_and_status(committee, role, status):
    viewer = viewer_with_only(committee, role, status)
    wrong = []
    for action in Action:
        expected = status == MembershipStatus.VETTED and role in EXPECTED.get(str(action), ())
        if viewer.can(action) != expected:
            wrong.append(f"{action}: expected {expected}")
    assert not wrong, f"{role} ({status}): " + "; ".join(wrong)
