"""Role fixtures for every test: a coordinator, a vetted member, a probationary member,
an outsider from another committee, and an anonymous visitor."""

import pytest
from django.test import Client

from committees.roles import MembershipStatus, Role

from .factories import CommitteeFactory, ZoneFactory, make_accompanier, make_member


@pytest.fixture
def committee(db):
    return CommitteeFactory(name="Eastside Defense", slug="eastside")


@pytest.fixture
def other_committee(db):
    return CommitteeFactory(name="Westside Defense", slug="westside")


@pytest.fixture
def zone(committee):
    return ZoneFactory(committee=committee, name="Zone 3")


@pytest.fixture
def coordinator(committee):
    return make_member(committee, roles=[Role.COORDINATOR], name="Ana Coordinator")


@pytest.fixture
def treasurer(committee):
    return make_member(committee, roles=[Role.TREASURER], name="Carmen Treasurer")


@pytest.fixture
def second_treasurer(committee):
    return make_member(committee, roles=[Role.TREASURER], name="Tomás Treasurer")


@pytest.fixture
def vetted_member(committee):
    return make_member(committee, roles=[Role.RESPONDER], name="Vera Vetted")


@pytest.fixture
def dispatcher(committee):
    """A vetted dispatcher (also a responder, like the demo's Diego)."""
    return make_member(committee, roles=[Role.DISPATCHER, Role.RESPONDER], name="Diego Dispatcher")


@pytest.fixture
def probationary_member(committee):
    return make_member(committee, status=MembershipStatus.PROBATIONARY, name="Pablo Probation")


@pytest.fixture
def outsider(other_committee):
    """A coordinator, with every right, but of another committee."""
    return make_member(other_committee, roles=[Role.COORDINATOR], name="Otto Outsider")


@pytest.fixture
def viewer_of():
    """`viewer_of(membership)`: the access Viewer that services take as `actor`."""
    from committees.access import load_viewer

    def make(membership):
        return load_viewer(membership.person.user, membership.committee_id)

    return make


@pytest.fixture
def legal_member(committee):
    """A vetted member of the legal team (a volunteer lawyer)."""
    return make_member(committee, roles=[Role.LEGAL], name="Beto Legal", language="es")


@pytest.fixture
def other_legal_member(committee):
    """Another legal-role member, not on the cases `legal_member` is on."""
    return make_member(committee, roles=[Role.LEGAL], name="Lara Lawyer")


@pytest.fixture
def accompanier(committee):
    """A vetted member trained in court accompaniment, speaking Spanish."""
    return make_accompanier(committee, language="es", name="Alma Acompaña")


@pytest.fixture
def anonymous():
    return Client()


@pytest.fixture
def client_for():
    """`client_for(membership)` returns a client signed in as that member."""

    def make(membership, language=None):
        client = Client()
        client.force_login(membership.person.user)
        if language:
            client.cookies["defensa_language"] = language
        return client

    return make


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Tests do not share cache state (allauth remembers used TOTP codes and rate limits)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
