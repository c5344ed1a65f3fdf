"""Delete my data: once a coordinator confirms, nothing in the database still holds the
person's name, phone or email — not the directory, consents, invitations, logins,
sessions, import previews or audit logs."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from committees import services as committee_services
from committees.access import load_viewer
from committees.models import Invitation, Membership
from committees.roles import Role
from lib.crypto import lookup_hash
from members import erasure, services
from members.audit import AuditEvent
from members.consent import Consent, ConsentEvent
from members.models import ErasureRequest, User

from ..factories import PersonFactory, ZoneFactory, make_member

NAME, SURNAME = "Zacarías", "Quintanilla"
PHONE = "+13238675309"
EMAIL = "zacarias.q@example.org"
# JSON columns may hold the name escaped, as "Zacar\u00edas". (Needles are long enough
# never to turn up by chance inside encrypted, base64 text.)
NEEDLES = [
    NAME,
    json.dumps(NAME)[1:-1],
    SURNAME,
    PHONE,
    PHONE[2:],
    EMAIL,
]


def rows_holding(needle: str) -> list[str]:
    """Every table.column whose text holds `needle` (raw SQL over every table)."""
    found = []
    quote = connection.ops.quote_name
    pattern = "%" + "".join(f"!{c}" if c in "!%_" else c for c in needle.lower()) + "%"
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = connection.introspection.get_table_description(cursor, table)
            for column in columns:
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} "  # noqa: S608 - names from introspection
                    f"WHERE LOWER(CAST({quote(column.name)} AS TEXT)) LIKE %s ESCAPE '!'",
                    [pattern],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
    return found


def post(client, name, **kwargs):
    response = client.post(reverse(name, kwargs=kwargs or None))
    assert response.status_code == 302, response.status_code
    return response


@pytest.fixture
def zacarias(coordinator, vetted_member, client_for, committee):
    """A newcomer who joined by invitation, was vouched for and approved, edited their
    profile, gave consent, was viewed and edited by a coordinator and appears in a
    pending import — leaving their name, phone and email all over the database."""
    coordinator_viewer = load_viewer(coordinator.person.user)
    invitation, _token = committee_services.invitation_create(
        actor=coordinator_viewer, email=EMAIL, roles=[Role.RESPONDER]
    )
    user = User.objects.create_user(EMAIL, "correct horse battery staple")
    membership = committee_services.invitation_accept(
        invitation_id=invitation.pk, user=user, preferred_name=f"{NAME} {SURNAME}"
    )
    person = membership.person
    own = Client()
    own.force_login(user)
    zone = ZoneFactory(committee=committee, name="Zona 2")
    response = own.post(
        reverse("profile:edit"),
        {
            "preferred_name": f"{NAME} {SURNAME}",
            "full_name": f"{NAME} {SURNAME} Ortega",
            "phone": PHONE,
            "email": EMAIL,
            "language": "es",
            "zones": [zone.pk],
            "availability": ["2-evening"],
        },
    )
    assert response.status_code == 302
    own.post(
        reverse("profile:consent"), {"purpose": "raid_alerts", "channel": "sms", "granted": "1"}
    )
    response = client_for(vetted_member).post(
        reverse("committees:membership_vouch", args=[membership.pk]),
        {"note": "We worked together at the food bank for two years."},
    )
    assert response.status_code == 302
    coordinator_client = client_for(coordinator)
    post(coordinator_client, "committees:membership_approve", membership_id=membership.pk)
    assert (
        coordinator_client.get(reverse("members:person_detail", args=[person.pk])).status_code
        == 200
    )
    response = coordinator_client.post(
        reverse("members:person_edit", args=[person.pk]),
        {
            "preferred_name": f"{NAME} {SURNAME}",
            "full_name": f"{NAME} {SURNAME} Ortega",
            "phone": PHONE,
            "email": EMAIL,
            "language": "es",
            "notes": f"{NAME} drives on weekends",
        },
    )
    assert response.status_code == 302
    services.import_preview(
        actor=coordinator_viewer,
        upload=SimpleUploadedFile("p.csv", f"name,phone\n{NAME} {SURNAME},{PHONE}\n".encode()),
    )
    own.post(reverse("profile:erase"))
    return person, own


def test_after_a_coordinator_confirms_no_row_holds_the_name_phone_or_email(
    zacarias, coordinator, client_for
):
    person, own_client = zacarias
    before = {needle: rows_holding(needle) for needle in NEEDLES}
    # The search finds the name and email while they are there; the phone is never
    # stored readably (encrypted, masked in the audit log), even before erasure.
    assert before[SURNAME] and before[EMAIL] and (before[NAME] or before[NEEDLES[1]]), before
    assert before[PHONE] == before[PHONE[2:]] == []
    assert "members_person.preferred_name" in before[SURNAME]
    assert any(place.startswith("auditlog_logentry") for place in before[SURNAME])
    # The invitation's address is encrypted (issue 11, point 2); only the sign-in
    # identifiers (allauth's lookups) hold it readably.
    assert sorted(before[EMAIL]) == ["account_emailaddress.email", "members_user.email"]

    erasure_page = client_for(coordinator).get(reverse("members:erasure_requests"))
    assert SURNAME in erasure_page.content.decode()
    response = client_for(coordinator).post(
        reverse("members:person_erase", args=[person.pk]), {"confirm": "yes"}
    )
    assert response.status_code == 302

    after = {needle: rows_holding(needle) for needle in NEEDLES}
    assert after == {needle: [] for needle in NEEDLES}

    person.refresh_from_db()
    assert person.preferred_name == f"Erased person #{person.pk}"
    assert person.erased_at and not person.phone_hash and not person.email_hash
    assert not person.zones.exists() and person.availability == 0
    assert not Consent.objects.filter(person=person).exists()
    assert not ConsentEvent.objects.filter(person=person).exists()
    assert not Membership.objects.filter(person=person).exists()
    assert not User.objects.filter(email=EMAIL).exists()
    assert not Invitation.objects.filter(email_hash=lookup_hash(EMAIL)).exists()
    assert ErasureRequest.objects.get(person=person).status == ErasureRequest.Status.DONE
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.ERASED)
    assert (event.actor, event.person) == (coordinator.person, person)
    # Their session is gone, and they are nowhere in the directory.
    assert own_client.get(reverse("profile:detail")).status_code == 302
    listing = client_for(coordinator).get(reverse("members:person_list"))
    assert person.pk not in [row.pk for row in listing.context["page"]]
    assert (
        client_for(coordinator).get(reverse("members:person_detail", args=[person.pk])).status_code
        == 404
    )


def test_a_login_used_by_another_committee_is_kept_but_unlinked(
    coordinator, client_for, other_committee
):
    member = make_member(coordinator.committee, roles=[Role.RESPONDER], name="Dos Comités")
    user = member.person.user
    elsewhere = PersonFactory(committee=other_committee, user=user, preferred_name="Dos")
    client_for(coordinator).post(
        reverse("members:person_erase", args=[member.person.pk]), {"confirm": "yes"}
    )
    member.person.refresh_from_db()
    assert member.person.erased_at and member.person.user is None
    assert User.objects.filter(pk=user.pk).exists()
    elsewhere.refresh_from_db()
    assert elsewhere.user == user and elsewhere.preferred_name == "Dos"


def test_erasure_hooks_of_other_parts_run_before_the_contact_is_cleared(coordinator, vetted_member):
    seen = []

    def hook(person):
        seen.append((person.pk, person.phone))

    erasure.register(hook)
    try:
        services.person_erase(
            actor=load_viewer(coordinator.person.user), person=vetted_member.person
        )
    finally:
        erasure.HOOKS.remove(hook)
    assert seen == [(vetted_member.person.pk, vetted_member.person.phone)]


def test_only_coordinators_erase_and_never_themselves(
    coordinator, vetted_member, client_for, outsider
):
    url = reverse("members:person_erase", args=[coordinator.person.pk])
    assert client_for(vetted_member).post(url).status_code == 403
    assert client_for(outsider).post(url).status_code == 404
    response = client_for(coordinator).post(url, {"confirm": "yes"}, follow=True)
    assert "Another coordinator must confirm erasing your own record." in response.content.decode()
    coordinator.person.refresh_from_db()
    assert coordinator.person.erased_at is None

    second = make_member(coordinator.committee, roles=[Role.COORDINATOR], name="Segunda")
    client_for(second).post(url, {"confirm": "yes"})
    coordinator.person.refresh_from_db()
    assert coordinator.person.erased_at is not None
