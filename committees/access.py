"""Who may do what, decided in one place.

Every view reaches data through this module:

* `Viewer` is the signed-in person in their *active* committee, with the roles that
  are in force (a probationary or suspended membership has none).
* `Action` names everything a view may do; `RULES` says which roles may do it.
* `scope()` narrows a queryset to the viewer's committee; `get_object_or_404()` fetches
  one object through that scope, so another committee's object is a 404, exactly
  like an object that does not exist.
* `OBJECT_RULES` adds, for need-to-know actions, a check on the object itself (a legal
  case: only its team and the legal role). `viewer.can(action)` answers "may this viewer
  do it at all"; `viewer.can(action, obj)` also asks the object rule.
* `@requires(action)` guards a view; `@public` marks the few views a visitor may see.

Nothing else in the code base checks a role.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from .roles import MFA_ROLES, MembershipStatus, Role


class Action(enum.StrEnum):
    # Committee administration
    VIEW_DASHBOARD = "committee.view_dashboard"
    MANAGE_MEMBERSHIPS = "committee.manage_memberships"
    VOUCH = "committee.vouch"
    INVITE = "committee.invite"
    MANAGE_ZONES = "committee.manage_zones"
    # People
    VIEW_DIRECTORY = "people.view_directory"
    VIEW_CONTACT_DETAILS = "people.view_contact_details"
    EDIT_PEOPLE = "people.edit"
    VIEW_COORDINATOR_NOTES = "people.view_notes"
    IMPORT_PEOPLE = "people.import"
    EXPORT_PEOPLE = "people.export"
    ERASE_PERSON = "people.erase"
    VIEW_PEOPLE_AUDIT = "people.view_audit"
    # Messages
    SEND_MESSAGES = "notifications.send"
    VIEW_MESSAGE_HISTORY = "notifications.view_history"
    # Trainings
    MANAGE_TRAININGS = "trainings.manage"
    RUN_TRAINING = "trainings.run"
    # Coalition: partners, officials' commitments, meetings, campaigns, 287(g) list
    VIEW_COALITION = "coalition.view"
    MANAGE_COALITION = "coalition.manage"
    VIEW_COALITION_DOCUMENTS = "coalition.view_documents"
    VIEW_PARTNER_CONTACTS = "coalition.view_partner_contacts"
    # Bond fund
    VIEW_FUND = "bond_fund.view_fund"
    VIEW_BONDS = "bond_fund.view_bonds"
    REQUEST_BOND = "bond_fund.request_bond"
    MANAGE_BONDS = "bond_fund.manage_bonds"
    MOVE_MONEY = "bond_fund.move_money"
    EXPORT_LEDGER = "bond_fund.export_ledger"
    FUND_SETTINGS = "bond_fund.settings"
    # Rapid response
    DISPATCH = "rapid_response.dispatch"
    VIEW_INCIDENTS = "rapid_response.view_incidents"
    HANDOFF_DETAINED = "rapid_response.handoff"
    HANDOFF_BOND = "rapid_response.handoff_bond"
    MANAGE_DISPATCH = "rapid_response.manage"
    VIEW_RAPID_REPORTS = "rapid_response.view_reports"
    # Legal aid (need-to-know: see OBJECT_RULES for the case team)
    OPEN_LEGAL_REQUEST = "legal.open_request"
    VIEW_LEGAL_QUEUE = "legal.view_queue"
    TRIAGE_LEGAL_REQUESTS = "legal.triage"
    VIEW_CASE_STATUS = "legal.view_case_status"
    VIEW_CASE = "legal.view_case"
    VIEW_CASE_CONTENTS = "legal.view_case_contents"
    EDIT_CASE = "legal.edit_case"
    ACCOMPANY = "legal.accompany"
    VIEW_LEGAL_REPORTS = "legal.view_reports"
    MANAGE_LEGAL_SETTINGS = "legal.manage_settings"
    # Impact litigation (need-to-know: see OBJECT_RULES for the matter's team)
    VIEW_MATTER_STATUS = "legal.view_matter_status"
    OPEN_MATTER = "legal.open_matter"
    VIEW_MATTER = "legal.view_matter"
    EDIT_MATTER = "legal.edit_matter"
    VIEW_LITIGATION_PATTERNS = "legal.view_litigation_patterns"


C, L, T, D = Role.COORDINATOR, Role.LEGAL, Role.TREASURER, Role.DISPATCHER
TR, R, M = Role.TRAINER, Role.RESPONDER, Role.MEMBER
STAFF = frozenset({C, L, T, D})
VETTED_ANY = frozenset(Role)

RULES: dict[Action, frozenset[Role]] = {
    Action.VIEW_DASHBOARD: frozenset({C, L, T, D, TR}),
    Action.MANAGE_MEMBERSHIPS: frozenset({C}),
    Action.VOUCH: VETTED_ANY,
    Action.INVITE: frozenset({C}),
    Action.MANAGE_ZONES: frozenset({C}),
    Action.VIEW_DIRECTORY: frozenset({C, L, D, TR}),
    Action.VIEW_CONTACT_DETAILS: frozenset({C, L, D, TR}),
    Action.EDIT_PEOPLE: frozenset({C}),
    Action.VIEW_COORDINATOR_NOTES: frozenset({C}),
    Action.IMPORT_PEOPLE: frozenset({C}),
    Action.EXPORT_PEOPLE: frozenset({C}),
    Action.ERASE_PERSON: frozenset({C}),
    Action.VIEW_PEOPLE_AUDIT: frozenset({C}),
    Action.SEND_MESSAGES: frozenset({C}),
    # A person's messages show who they are: only roles that see the directory (a
    # treasurer could otherwise walk /messages/people/<id>/ to list every name).
    Action.VIEW_MESSAGE_HISTORY: frozenset({C, L, D}),
    Action.MANAGE_TRAININGS: frozenset({C, TR}),
    Action.RUN_TRAINING: frozenset({C, TR}),
    Action.VIEW_COALITION: frozenset({C, L, T, D, TR}),
    Action.MANAGE_COALITION: frozenset({C}),
    Action.VIEW_COALITION_DOCUMENTS: frozenset({C, L}),
    Action.VIEW_PARTNER_CONTACTS: frozenset({C, L}),
    Action.VIEW_FUND: frozenset({C, T}),
    Action.VIEW_BONDS: frozenset({C, L, T}),
    Action.REQUEST_BOND: frozenset({C, L, T}),
    Action.MANAGE_BONDS: frozenset({C, T}),
    # Recording payments, paying bonds out, second approvals, corrections.
    Action.MOVE_MONEY: frozenset({C, T}),
    Action.EXPORT_LEDGER: frozenset({C, T}),
    # The two-person threshold: not the treasurers' own to lower.
    Action.FUND_SETTINGS: frozenset({C}),
    # Dispatchers work incidents; the legal team sees an incident's hand-offs (not the
    # responders, who only get alerts); coordinators set the roster and retention.
    Action.DISPATCH: frozenset({C, D}),
    Action.VIEW_INCIDENTS: frozenset({C, D, L}),
    Action.HANDOFF_DETAINED: frozenset({C, D, L}),
    Action.HANDOFF_BOND: frozenset({C, L}),
    Action.MANAGE_DISPATCH: frozenset({C}),
    Action.VIEW_RAPID_REPORTS: frozenset({C, D}),
    # Coordinators and dispatchers take a call and open a request; the legal team
    # triages. Coordinators see that cases exist, their urgency and status, never
    # their contents; a case's contents are for its team (OBJECT_RULES).
    Action.OPEN_LEGAL_REQUEST: frozenset({C, L, D}),
    Action.VIEW_LEGAL_QUEUE: frozenset({C, L}),
    Action.TRIAGE_LEGAL_REQUESTS: frozenset({L}),
    Action.VIEW_CASE_STATUS: frozenset({C, L}),
    Action.VIEW_CASE: frozenset({L}),
    Action.VIEW_CASE_CONTENTS: frozenset({L}),
    Action.EDIT_CASE: frozenset({L}),
    Action.ACCOMPANY: VETTED_ANY,
    Action.VIEW_LEGAL_REPORTS: frozenset({C, L}),
    Action.MANAGE_LEGAL_SETTINGS: frozenset({C, L}),
    # Impact litigation: coordinators and legal members see that a matter exists, its
    # public name and status; its contents (claim, parties, evidence, declarants,
    # documents, the packet) are for its team (OBJECT_RULES). Patterns are numbers.
    Action.VIEW_MATTER_STATUS: frozenset({C, L}),
    Action.OPEN_MATTER: frozenset({L}),
    Action.VIEW_MATTER: frozenset({L}),
    Action.EDIT_MATTER: frozenset({L}),
    Action.VIEW_LITIGATION_PATTERNS: frozenset({C, L}),
}


# Need-to-know: `rule(viewer, obj) -> bool`, asked after the role rule above allowed the
# action. Rules are duck-typed on the object so that this module imports no feature app.
OBJECT_RULES: dict[Action, Callable[[Viewer, object], bool]] = {}


def _on_case_team(viewer, case) -> bool:
    """A legal case's contents (A-number, facility, notes, documents) and changes: only
    the legal-role members assigned to it (`case.on_team(membership_id)`; hearings,
    deadlines and documents answer for their case)."""
    return viewer.membership is not None and case.on_team(viewer.membership.pk)


def _is_accompanier(viewer, accompaniment) -> bool:
    """An accompaniment's card: only the volunteer it was offered to."""
    return viewer.person is not None and accompaniment.person_id == viewer.person.pk


def _on_matter_team(viewer, matter) -> bool:
    """A litigation matter's contents and changes: only its team's committee members
    (`matter.on_team(membership_id)`; key dates, documents and declarants answer for
    their matter)."""
    return viewer.membership is not None and matter.on_team(viewer.membership.pk)


OBJECT_RULES[Action.VIEW_CASE_CONTENTS] = _on_case_team
OBJECT_RULES[Action.EDIT_CASE] = _on_case_team
OBJECT_RULES[Action.ACCOMPANY] = _is_accompanier
OBJECT_RULES[Action.VIEW_MATTER] = _on_matter_team
OBJECT_RULES[Action.EDIT_MATTER] = _on_matter_team


@dataclass(frozen=True)
class Viewer:
    """The signed-in user as seen from their active committee."""

    user: object = None
    membership: object = None  # committees.Membership, or None
    memberships: tuple = ()  # every non-suspended membership, for the switcher
    roles: frozenset = field(default_factory=frozenset)
    # Whether any vetted membership holds a staff role (MFA_ROLES), and whether the user
    # has a TOTP or security key: both read by load_viewer's one query (None = unknown).
    staff_somewhere: bool | None = None
    has_second_factor: bool | None = None

    @property
    def committee(self):
        return self.membership.committee if self.membership else None

    @property
    def person(self):
        return self.membership.person if self.membership else None

    @property
    def is_authenticated(self) -> bool:
        return bool(self.user and self.user.is_authenticated)

    @property
    def is_vetted(self) -> bool:
        return bool(self.membership and self.membership.status == MembershipStatus.VETTED)

    @property
    def is_probationary(self) -> bool:
        return bool(self.membership and self.membership.status == MembershipStatus.PROBATIONARY)

    def can(self, action: Action, obj: object = None) -> bool:
        if not self.is_vetted or not self.roles & RULES[action]:
            return False
        if obj is None:
            return True
        if getattr(obj, "committee_id", self.committee.pk) != self.committee.pk:
            return False
        rule = OBJECT_RULES.get(action)
        return rule is None or bool(rule(self, obj))

    def require(self, action: Action, obj: object = None) -> None:
        if not self.can(action, obj):
            raise PermissionDenied

    def is_self(self, person) -> bool:
        return bool(self.membership and person is not None and person.pk == self.person.pk)


ANONYMOUS = Viewer()


def load_viewer(user, active_committee_id=None) -> Viewer:
    """Build the viewer for `user`, in the committee they chose if they still belong to it.

    One query on every request (`_viewer_rows`): the memberships with their committee and
    person, one row per role, and whether the user has a second factor. Nothing is cached
    between requests, so a role removed or a membership suspended counts on the next one.
    """
    if not user or not user.is_authenticated:
        return ANONYMOUS
    by_pk: dict = {}
    roles_of: dict = {}
    second_factor = None
    for membership, role, has_factor in _viewer_rows(user.pk):
        second_factor = has_factor
        membership = by_pk.setdefault(membership.pk, membership)
        roles = roles_of.setdefault(membership.pk, [])
        if role is not None:
            role.membership = membership
            roles.append(role)
    for pk, membership in by_pk.items():
        _set_prefetched_roles(membership, roles_of[pk])
    memberships = tuple(by_pk.values())
    active = next((m for m in memberships if m.committee_id == active_committee_id), None)
    if active is None and memberships:
        active = memberships[0]
    roles = frozenset(Role(r.role) for r in roles_of[active.pk]) if active else frozenset()
    if active and active.status != MembershipStatus.VETTED:
        roles = frozenset()
    staff_somewhere = any(
        m.status == MembershipStatus.VETTED and any(r.role in MFA_ROLES for r in roles_of[m.pk])
        for m in memberships
    )
    return Viewer(
        user=user,
        membership=active,
        memberships=memberships,
        roles=roles,
        staff_somewhere=staff_somewhere,
        has_second_factor=None if second_factor is None else bool(second_factor),
    )


def _viewer_rows(user_id):
    """(membership with its committee and person, role or None, has a second factor) for
    each of the user's memberships that is not suspended and each of its roles, in the
    switcher's order (committee name). The SQL is written once per process from the
    models (`_viewer_query`): building it with the ORM on every request cost more than
    everything else a constant page does."""
    from allauth.mfa.models import Authenticator
    from django.db import connection

    sql, parts, role_part = _viewer_query()
    params = [Authenticator.Type.TOTP.value, Authenticator.Type.WEBAUTHN.value]
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, *params, user_id, MembershipStatus.SUSPENDED.value])
        rows = cursor.fetchall()
    for row in rows:
        objects = [_from_row(part, row, connection) for part in parts]
        membership, committee, person = objects
        membership._meta.get_field("committee").set_cached_value(membership, committee)
        membership._meta.get_field("person").set_cached_value(membership, person)
        role = _from_row(role_part, row, connection) if row[role_part[1]] is not None else None
        yield membership, role, row[-1]


def _from_row(part, row, connection):
    model, start, names, converters = part
    values = list(row[start : start + len(names)])
    for index, expression, functions in converters:
        for function in functions:
            values[index] = function(values[index], expression, connection)
    return model.from_db(connection.alias, names, values)


@lru_cache(maxsize=1)
def _viewer_query():
    """The viewer's SQL and, for each model in it, (model, first column, field names,
    converters): what the ORM's select_related query did, minus building it each time."""
    from allauth.mfa.models import Authenticator
    from django.db import connection

    from members.models import Person

    from .models import Committee, Membership, MembershipRole

    quote = connection.ops.quote_name
    columns, parts = [], []
    tables = ((Membership, "m"), (Committee, "c"), (Person, "p"), (MembershipRole, "r"))
    for model, alias in tables:
        fields = model._meta.concrete_fields
        converters = []
        for index, f in enumerate(fields):
            expression = f.get_col(alias)
            functions = connection.ops.get_db_converters(expression) + f.get_db_converters(
                connection
            )
            if functions:
                converters.append((index, expression, functions))
        parts.append((model, len(columns), [f.attname for f in fields], converters))
        columns += [f"{alias}.{quote(f.column)}" for f in fields]
    table = {model: quote(model._meta.db_table) for model, _ in tables}
    # Only identifiers from the models' metadata are written into it; values are parameters.
    sql = (
        f"SELECT {', '.join(columns)}, EXISTS(SELECT 1 FROM "  # noqa: S608
        f"{quote(Authenticator._meta.db_table)} a WHERE a.{quote('user_id')} = %s "
        f"AND a.{quote('type')} IN (%s, %s)) "
        f"FROM {table[Membership]} m "
        f"INNER JOIN {table[Person]} p ON p.{quote('id')} = m.{quote('person_id')} "
        f"INNER JOIN {table[Committee]} c ON c.{quote('id')} = m.{quote('committee_id')} "
        f"LEFT OUTER JOIN {table[MembershipRole]} r "
        f"ON r.{quote('membership_id')} = m.{quote('id')} "
        f"WHERE p.{quote('user_id')} = %s AND m.{quote('status')} <> %s "
        f"ORDER BY c.{quote('name')}, m.{quote('id')}, r.{quote('role')}"
    )
    return sql, parts[:3], parts[3]


def _set_prefetched_roles(membership, roles: list) -> None:
    """`membership.roles.all()` answers from `roles`, as if prefetched."""
    queryset = membership.roles.all()
    queryset._result_cache = roles
    queryset._prefetch_done = True
    membership._prefetched_objects_cache = {"roles": queryset}


def requires_mfa(viewer: Viewer) -> bool:
    """Staff roles, in any committee they are vetted in, must use a second factor; so must
    anyone who may enter the admin (Django staff and superusers)."""
    user = viewer.user
    if user is not None and (
        getattr(user, "is_superuser", False) or getattr(user, "is_staff", False)
    ):
        return True
    if viewer.staff_somewhere is not None:
        return viewer.staff_somewhere
    for membership in viewer.memberships:
        if membership.status == MembershipStatus.VETTED and any(
            r.role in MFA_ROLES for r in membership.roles.all()
        ):
            return True
    return False


def has_second_factor(viewer: Viewer) -> bool:
    """Whether the viewer's user has enrolled a TOTP or a security key (recovery codes
    alone do not count)."""
    if viewer.has_second_factor is not None:
        return viewer.has_second_factor
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=viewer.user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def scope(queryset: QuerySet, viewer: Viewer) -> QuerySet:
    """Only the rows of the viewer's active committee (none without one)."""
    if viewer.committee is None:
        return queryset.none()
    path = queryset.model.committee_path
    return queryset.filter(**{path: viewer.committee.pk if path == "pk" else viewer.committee})


def get_object_or_404(queryset_or_model, viewer: Viewer, action: Action | None = None, **lookup):
    """One object of the viewer's committee, or 404.

    A missing role for `action`, or an object rule that refuses this object (need to
    know), is also a 404: we do not confirm that an object exists to someone who may
    not see it.
    """
    queryset = (
        queryset_or_model._default_manager.all()
        if isinstance(queryset_or_model, type) and issubclass(queryset_or_model, Model)
        else queryset_or_model
    )
    if action is not None and not viewer.can(action):
        raise Http404
    try:
        obj = scope(queryset, viewer).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if action is not None and not viewer.can(action, obj):
        raise Http404
    return obj


def requires(action: Action | None = None):
    """Guard a view: a member of a committee, holding a role allowed to do `action`.

    With no action, any member of a committee (even probationary) may enter; the view
    must then show only what the viewer may see.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            viewer = request.viewer
            if viewer.membership is None:
                raise Http404
            if action is not None:
                viewer.require(action)
            return view(request, *args, **kwargs)

        wrapped.required_action = action
        return wrapped

    return decorator


def public(view):
    """Mark one of the few views an anonymous visitor may use."""
    view = login_not_required(view)
    view.is_public = True
    return view
