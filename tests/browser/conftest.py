"""Playwright driving Debian's Chromium on a 360 px phone and a 1280 px laptop.

Without /usr/bin/chromium the browser tests are skipped, with that reason; CI sets
DEFENSA_REQUIRE_BROWSER=1 so that a missing browser fails the run instead.

Every page a test opens must be checked by axe (`a11y.audit(page)`): the `phone`,
`laptop` and `screen` fixtures fail the test if it navigated to a page it never audited.
"""

import os

import pytest
from django.conf import settings
from django.test import Client

from .a11y import attach

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Flags that keep Chromium from reaching out to the network (closed here) at start.
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
LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}; install it (apt-get install chromium)"
        if os.environ.get("DEFENSA_REQUIRE_BROWSER"):
            pytest.fail(message + " — DEFENSA_REQUIRE_BROWSER is set, so this is an error")
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the Django ORM calls the
    # tests make around it are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


def _page(browser, live_server, size: str):
    options = {"viewport": PHONE, "is_mobile": True, "has_touch": True}
    if size == "laptop":
        options = {"viewport": LAPTOP}
    context = browser.new_context(**options, base_url=live_server.url, locale="en-US")
    context.set_default_timeout(10_000)
    audits = attach(context)
    page = context.new_page()
    yield page
    context.close()
    unchecked = audits.unchecked()
    assert not unchecked, f"pages visited but never checked with a11y.audit(page): {unchecked}"


@pytest.fixture
def phone(browser, live_server):
    """A page in a fresh 360 px phone browser context pointed at the live server."""
    yield from _page(browser, live_server, "phone")


@pytest.fixture
def laptop(browser, live_server):
    """A page in a fresh 1280 × 800 laptop browser context pointed at the live server."""
    yield from _page(browser, live_server, "laptop")


@pytest.fixture(params=["phone", "laptop"])
def screen(request, browser, live_server):
    """The same flow on a 360 px phone and on a 1280 px laptop."""
    yield from _page(browser, live_server, request.param)


def is_phone(page) -> bool:
    return page.viewport_size["width"] < 768


def open_menu(page) -> None:
    """The navigation: behind the Menu button on a phone, always shown on a laptop."""
    if is_phone(page) and page.locator("details.menu[open]").count() == 0:
        page.locator("details.menu > summary").click()


def sign_in_as(page, live_server, user) -> None:
    """Signed in without the login form (the sign-in tests go through it)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def assert_fits_phone(page):
    """Nothing wider than the screen: no sideways scrolling (phone and laptop)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the screen"
