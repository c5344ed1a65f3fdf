"""A first visit on a slow phone: the public pages and a member's training list in
Chromium with the network emulated at a slow 3G profile.

Each page is opened in a fresh browser context (an empty cache, no cookies but the
member's session), with the network held at 400 kbit/s down and up and a 400 ms round
trip (the DevTools protocol's `Network.emulateNetworkConditions`, on the page's own CDP
session), against the gunicorn with the production settings that the bench starts
(whitenoise serving the collected static files).

Measured for each page:
- bytes transferred: the sum of `encodedDataLength` of `Network.loadingFinished` over every
  request of the page (compressed bodies and headers, as they went over the wire);
- time to main content: first contentful paint, from the navigation's start (the paint
  timing entries, read with a `PerformanceObserver`; the stylesheet blocks rendering and
  no script runs first, so the first paint is the page's heading and text, styled), with
  the largest contentful paint beside it. Playwright's "`main h1` is visible" is only used
  to check that the page is the one meant: it holds as soon as the heading has a layout
  box, before the stylesheet arrives and anything is painted;
- a repeat visit in the same context: what goes over the wire when the static files are
  already in the cache (only the HTML, when they are cached forever under hashed names).

Targets: under 30 KB transferred and under 2 s to main content on a first visit.
"""

from __future__ import annotations

import os
import statistics
import time
import urllib.request

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# As tests/browser/conftest.py launches it: nothing reaches out to the network at start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
KBIT = 1000 / 8  # bytes a second in one kbit/s
SLOW_3G = {
    "offline": False,
    "latency": 400,  # ms, added to every request's round trip
    "downloadThroughput": 400 * KBIT,
    "uploadThroughput": 400 * KBIT,
}
BYTES_TARGET = 30 * 1024
SECONDS_TARGET = 2.0
RUNS = 3  # each page this many first visits; the median is reported

# What the page reports once it painted and loaded (ms from the navigation's start): its
# first contentful paint, its largest contentful paint (and what that element was), when
# the HTML had arrived and when the load event ended.
PAINT_JS = """() => new Promise((resolve) => {
  let lcp = null;
  new PerformanceObserver((list) => {
    const entry = list.getEntries().at(-1);
    lcp = {time: entry.renderTime || entry.startTime,
           element: entry.element ? entry.element.tagName.toLowerCase() : null};
  }).observe({type: 'largest-contentful-paint', buffered: true});
  const check = () => {
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    const nav = performance.getEntriesByType('navigation')[0];
    if (paint && nav && nav.loadEventEnd > 0 && lcp) {
      resolve({fcp: paint.startTime, lcp: lcp.time, lcp_element: lcp.element,
               html: nav.responseEnd, load: nav.loadEventEnd});
    } else {
      setTimeout(check, 20);
    }
  };
  check();
})"""


def member_session(committee) -> str:
    """A vetted member with no staff role (no second factor), signed in: a cookie."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from committees.models import Membership, MembershipRole
    from committees.roles import MembershipStatus, Role
    from members.models import Person, User

    user, _ = User.objects.get_or_create(email="bench-member@example.org")
    person, _ = Person.objects.get_or_create(
        committee=committee, user=user, defaults={"preferred_name": "Bench Member"}
    )
    membership, _ = Membership.objects.get_or_create(
        person=person, defaults={"committee": committee, "status": MembershipStatus.VETTED}
    )
    MembershipRole.objects.get_or_create(membership=membership, role=Role.MEMBER)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["last_seen"] = int(time.time()) + 3600  # no idle-timeout writes during a run
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def pages(committee) -> list[tuple[str, str, bool]]:
    """(label, path, signed in as a member) of every page measured."""
    from django.urls import NoReverseMatch, reverse

    from bench.run import public_training

    slug = {"committee_slug": committee.slug}
    wanted = [
        (
            "training sign-up",
            "trainings_public:training",
            {**slug, "public_training_id": public_training(committee)},
            False,
        ),
        ("legal intake", "legal_aid_public:intake", slug, False),
        ("rapid response report", "rapid_response_public:report", slug, False),
        ("bond fund pledge", "bond_fund_public:pledge", slug, False),
        ("coalition public page", "coalition_public:page", slug, False),
        ("member's training list", "trainings:list", {}, True),
    ]
    found = []
    for label, name, kwargs, signed_in in wanted:
        try:
            found.append((label, reverse(name, kwargs=kwargs), signed_in))
        except NoReverseMatch:
            print(f"  (skipping {label}: {name} is not in this build)")
    return found


def first_visit(browser, base: str, path: str, cookie: str | None) -> dict:
    """One first visit: a fresh context, the cache empty, the network at slow 3G."""
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, base_url=base, locale="en-US"
    )
    try:
        if cookie:
            name, value = cookie.split("=", 1)
            context.add_cookies([{"name": name, "value": value, "url": base}])
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        requests: dict[str, dict] = {}

        def sent(event):
            requests[event["requestId"]] = {"url": event["request"]["url"], "bytes": 0}

        def received(event):
            entry = requests.setdefault(event["requestId"], {"url": event["response"]["url"]})
            entry["status"] = event["response"]["status"]
            entry["encoding"] = event["response"]["headers"].get(
                "content-encoding", event["response"]["headers"].get("Content-Encoding", "")
            )
            entry["cache"] = event["response"]["headers"].get(
                "cache-control", event["response"]["headers"].get("Cache-Control", "")
            )

        def finished(event):
            requests.setdefault(event["requestId"], {"url": "?"})["bytes"] = event[
                "encodedDataLength"
            ]

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.responseReceived", received)
        cdp.on("Network.loadingFinished", finished)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        response = page.goto(path, wait_until="commit")
        # The page meant, not a redirect to the sign-in page or an error.
        assert response.status == 200 and page.url == base + path, (response.status, page.url)
        # Playwright calls an element visible once it has a layout box, before the stylesheet
        # has arrived and anything is painted: the time is taken from the paint timings.
        page.locator("main h1").first.wait_for(state="visible", timeout=30_000)
        timings = page.evaluate(PAINT_JS)
        page.wait_for_load_state("networkidle")
        first = {
            "bytes": sum(r.get("bytes", 0) for r in requests.values()),
            "requests": [
                dict(r, url=r["url"].removeprefix(base))
                for r in requests.values()
                if not r["url"].startswith("data:")  # in the page: nothing is fetched
            ],
            "fcp_s": timings["fcp"] / 1000,
            "lcp_s": timings["lcp"] / 1000,
            "lcp_element": timings["lcp_element"],
            "html_s": timings["html"] / 1000,
            "load_s": timings["load"] / 1000,
        }
        # A repeat visit in the same context, the cache allowed: only what is not cached.
        requests.clear()
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        page.goto(path, wait_until="load")
        page.wait_for_load_state("networkidle")
        first["repeat_bytes"] = sum(r.get("bytes", 0) for r in requests.values())
        # Files from the cache still count as requests to the page, with no bytes.
        first["repeat_requests"] = sum(1 for r in requests.values() if r.get("bytes"))
        return first
    finally:
        context.close()


def warm_up(base: str, path: str, cookie: str | None, times: int = 12) -> None:
    """Every gunicorn worker has imported and rendered the page once (no cold start in
    the figures: what is measured is the network)."""
    for _ in range(times):
        request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()


def measure(ctx) -> dict:
    committee = ctx.committee
    page_list = pages(committee)
    member = member_session(committee)
    base, _workers = ctx.gunicorn()
    for _label, path, signed_in in page_list:
        warm_up(base, path, member if signed_in else None)
    # Playwright's sync API runs an event loop in this thread: the ORM work is done above.
    from playwright.sync_api import sync_playwright

    result: dict = {"profile": SLOW_3G, "runs": RUNS, "pages": {}}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            result["chromium"] = browser.version
            for label, path, signed_in in page_list:
                runs = [
                    first_visit(browser, base, path, member if signed_in else None)
                    for _ in range(RUNS)
                ]
                runs.sort(key=lambda run: run["fcp_s"])
                figure = dict(runs[len(runs) // 2])
                figure["path"] = path
                figure["signed_in"] = signed_in
                figure["fcp_all_s"] = [round(run["fcp_s"], 3) for run in runs]
                figure["bytes_median"] = statistics.median(run["bytes"] for run in runs)
                result["pages"][label] = figure
                print(
                    f"  {label:<24} {figure['bytes']:7,} B in {len(figure['requests'])} "
                    f"requests  HTML {figure['html_s']:.2f} s  FCP {figure['fcp_s']:.2f} s  "
                    f"LCP {figure['lcp_s']:.2f} s ({figure['lcp_element']})  "
                    f"load {figure['load_s']:.2f} s  "
                    f"repeat visit {figure['repeat_bytes']:,} B"
                )
                for request in figure["requests"]:
                    print(
                        f"      {request.get('bytes', 0):7,} B  {request.get('status')} "
                        f"{request.get('encoding') or '-':<4} {request['url'][:70]}  "
                        f"[{request.get('cache', '')}]"
                    )
        finally:
            browser.close()
    return result


def targets(section: dict) -> list[str]:
    from bench.report import _row

    lines: list[str] = []
    row = _row(lines)
    for label, figure in section["pages"].items():
        row(
            f"slow 3G first visit, {label}: < {BYTES_TARGET // 1024} KB, "
            f"< {SECONDS_TARGET:.0f} s to main content",
            f"{figure['bytes'] / 1024:.1f} KB; first contentful paint {figure['fcp_s']:.2f} s",
            figure["bytes"] < BYTES_TARGET and figure["fcp_s"] < SECONDS_TARGET,
        )
    return lines


def report_lines(section: dict) -> list[str]:
    profile = section["profile"]
    lines = [
        "## First load on a slow phone (slow 3G)",
        "",
        f"Chromium {section.get('chromium', '')} at 360 px, network emulated at "
        f"{profile['downloadThroughput'] / KBIT:.0f} kbit/s down and up, "
        f"{profile['latency']} ms round trip; a fresh context (empty cache) per visit, "
        f"median of {section['runs']} visits by first contentful paint. Bytes: as sent "
        "(compressed), headers included, every request (data: URLs not counted). Times from "
        "the navigation's start: "
        "the HTML received, first and largest contentful paint (PerformanceObserver; the "
        "stylesheet blocks rendering, so the first paint already shows the page's heading "
        "and text), the load event. Repeat: the same page again, the cache allowed (the "
        "requests that went over the network).",
        "",
        "| page | bytes (requests) | HTML received | first contentful paint "
        "| largest contentful paint | load event | repeat visit |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, figure in section["pages"].items():
        lines.append(
            f"| {label} | {figure['bytes'] / 1024:.1f} KB ({len(figure['requests'])}) "
            f"| {figure['html_s']:.2f} s | {figure['fcp_s']:.2f} s "
            f"| {figure['lcp_s']:.2f} s ({figure['lcp_element']}) "
            f"| {figure['load_s']:.2f} s | {figure['repeat_bytes'] / 1024:.1f} KB "
            f"({figure['repeat_requests']}) |"
        )
    return lines
