"""Every URL, as every kind of visitor (zulip's test_urls, healthchecks' alice/bob/charlie).

* anonymous: a redirect to sign in, except for the short explicit PUBLIC list;
* an outsider (a coordinator of another committee): 404 for this committee's objects,
  and never any of this committee's people on any page;
* a probationary member: never another person's contact details;
* nobody: a 500.
"""

from dataclasses import dataclass

import phonenumbers
import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from committees.roles import Role

from .factories import ZoneFactory, make_member
from .url_samples import OBJECT_KWARGS, build_samples

# The pages a visitor without an account may open. Keep this list short.
PUBLIC = {
    "join",
    "unsubscribe",
    # "was it you?" links sent to an address typed on a public form
    "contact_proof",
    "set_language",
    "healthz",
    # trainings: a committee's public calendar, feed and sign-up, and a person's own
    # registration page reached by the signed link in their messages
    "trainings_public:calendar",
    "trainings_public:feed",
    "trainings_public:training",
    "trainings_public:registration",
    "trainings_public:registration_calendar",
    "trainings_public:cancel",
    # legal aid: a committee's public request for legal help
    "legal_aid_public:intake",
    # rapid response: the public report form
    "rapid_response_public:report",
    # bond fund: the pledge pages (a promise, no payment; no names shown)
    "bond_fund_public:pledge",
    "bond_fund_public:bond",
    "trainings_public:claim",
    # coalition: the committee's public page (with its volunteer form), the Know Your
    # Rights red cards, and the documents of commitments it chose to make public
    "coalition_public:page",
    "coalition_public:red_card",
    "coalition_public:document",
    # Twilio's webhooks: anyone may call them, only a valid signature is acted on
    "sms_inbound",
    "sms_status",
    # allauth: signing in, and the steps around it
    "account_login",
    "account_logout",
    "account_signup",  # answers "joining is by invitation"
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_inactive",
    "account_login_code_confirm",
    "account_request_login_code",
    "account_confirm_login_code",
    "account_verify_phone",
    "mfa_authenticate",
    "mfa_trust",
}

# Public pages where a committee lists its zones' names (neighbourhoods, never people):
# the report form's "area" choice.
PUBLISHED_ZONES = {"rapid_response_public:report"}


@dataclass
class World:
    coordinator: object
    vetted_member: object
    probationary_member: object
    outsider: object
    zone: object


def walk(resolver=None, namespace="", outer_keywords=frozenset()):
    """(name, keywords) of every named URL, with the keywords of enclosing includes."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        keywords = outer_keywords | set(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern, inner, frozenset(keywords))
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, keywords


def sample_for(samples, name: str, keyword: str):
    """The app's own sample first (`bond_fund:pledge_id` for `bond_fund:…` and
    `bond_fund_public:…` URLs), then the shared one."""
    app = name.split(":")[0].removesuffix("_public")
    for key in (f"{app}:{keyword}", keyword):
        if key in samples:
            return samples[key]
    raise KeyError(keyword)


def all_urls(samples):
    urls = {}
    for name, keywords in walk():
        kwargs = {}
        for keyword in keywords:
            try:
                kwargs[keyword] = sample_for(samples, name, keyword)
            except KeyError:
                pytest.fail(f"{name}: add a sample for {keyword!r} in tests/url_samples.py")
        try:
            url = reverse(name, kwargs=kwargs)
        except Exception:  # a sample that does not fit the pattern's converter
            pytest.fail(f"{name}: the sample values {kwargs} do not fit its pattern")
        urls[name] = (url, keywords)
    return urls


@pytest.fixture
def world(committee, other_committee):
    return World(
        coordinator=make_member(committee, roles=[Role.COORDINATOR], name="Ana"),
        vetted_member=make_member(committee, roles=[Role.RESPONDER], name="Vera"),
        probationary_member=make_member(committee, status="probationary", name="Pablo"),
        outsider=make_member(other_committee, roles=[Role.COORDINATOR], name="Otto"),
        zone=ZoneFactory(committee=committee, name="Zone Three"),
    )


def signed_in(membership):
    client = Client(raise_request_exception=False)
    client.force_login(membership.person.user)
    return client


def contact_markers(person):
    phone = phonenumbers.parse(str(person.phone))
    return [
        str(person.email),
        str(person.phone),
        phonenumbers.format_number(phone, phonenumbers.PhoneNumberFormat.NATIONAL),
    ]


def is_admin(name):
    return name.startswith("admin:")


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in_except_public_pages(world):
    urls = all_urls(build_samples(world))
    client = Client(raise_request_exception=False)
    login_url = reverse("account_login")
    opened = set()
    for name, (url, _keywords) in urls.items():
        response = client.get(url)
        assert response.status_code != 500, f"{name} {url} answered 500"
        if is_admin(name):
            assert response.status_code == 302, f"{name} {url} is open to anonymous"
            continue
        is_login_redirect = response.status_code == 302 and response["Location"].startswith(
            login_url + "?next="
        )
        if not is_login_redirect:
            opened.add(name)
    assert opened <= PUBLIC, f"open to anonymous but not in PUBLIC: {sorted(opened - PUBLIC)}"
    assert "join" in opened and "account_login" in opened


@pytest.mark.django_db
def test_outsider_gets_404_for_every_object_of_another_committee(world):
    urls = all_urls(build_samples(world))
    client = signed_in(world.outsider)
    checked = 0
    committee_a_markers = [
        world.vetted_member.person.preferred_name,
        "Zone Three",
    ] + contact_markers(world.vetted_member.person)
    for name, (url, keywords) in urls.items():
        response = client.get(url)
        assert response.status_code != 500, f"{name} {url} answered 500"
        if keywords & OBJECT_KWARGS:
            if response.status_code == 405:
                response = client.post(url)
            assert response.status_code == 404, f"{name} {url}: {response.status_code}, not 404"
            checked += 1
        elif response.status_code == 200 and not is_admin(name):
            body = response.content.decode()
            for marker in committee_a_markers:
                if name in PUBLISHED_ZONES and marker == "Zone Three":
                    continue
                assert marker not in body, f"{name} {url} shows {marker!r} to an outsider"
    assert checked >= 3


@pytest.mark.django_db
def test_probationary_member_sees_no_contact_details(world):
    urls = all_urls(build_samples(world))
    client = signed_in(world.probationary_member)
    others = [world.coordinator.person, world.vetted_member.person]
    markers = [m for person in others for m in contact_markers(person)]
    for name, (url, _keywords) in urls.items():
        response = client.get(url)
        assert response.status_code != 500, f"{name} {url} answered 500"
        if response.status_code == 200:
            body = response.content.decode()
            for marker in markers:
                assert marker not in body, f"{name} {url} shows {marker!r} to a probationary member"


@pytest.mark.django_db
def test_no_page_answers_500_for_a_coordinator(world):
    urls = all_urls(build_samples(world))
    client = signed_in(world.coordinator)
    for name, (url, _keywords) in urls.items():
        response = client.get(url)
        assert response.status_code < 500, f"{name} {url} answered {response.status_code}"
