"""The accessibility check every browser test runs on the pages it reaches.

axe-core (vendored under tests/browser/vendor/axe-core, from the npm registry; never
served to users) is put into every page of the browser context by Playwright, outside
the page's Content-Security-Policy. `audit(page)` runs it with the WCAG 2.0/2.1/2.2 A
and AA rules and fails with the rule, the selector and the page for each violation.
Every page a test opens must be audited: the `phone` and `laptop` fixtures fail a test
that navigated to a page it never audited (see `Audits.unchecked`).

    from .a11y import audit
    page.goto("/legal/")
    audit(page)                      # the page as loaded
    page.get_by_text("Menu").click()
    audit(page, "menu open")         # a state worth checking again

Run only the accessibility checks with `pytest -m browser tests/browser -k "a11y or keyboard"`
(see the README, "Accessibility").
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).parent
AXE_SOURCE = (HERE / "vendor" / "axe-core" / "axe.min.js").read_text()
CHECKS_SOURCE = (HERE / "a11y.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# Pages a test passes through without showing anything (redirects) are never drawn.
NOT_PAGES = ("/language/",)


class Audits:
    """What one browser context visited and what was audited there."""

    def __init__(self):
        self.visited: dict[str, str] = {}  # path -> full URL, in visiting order
        self.audited: set[str] = set()

    def navigated(self, frame) -> None:
        if frame.parent_frame is None:  # the page itself, not an iframe
            path = urlsplit(frame.url).path
            if frame.url.startswith("http") and path not in NOT_PAGES:
                self.visited.setdefault(path, frame.url)

    def unchecked(self) -> list[str]:
        return [url for path, url in self.visited.items() if path not in self.audited]


def attach(context) -> Audits:
    """Put axe into every page of `context` and record every page it shows."""
    # Init scripts run outside the page's Content-Security-Policy, which stays as strict
    # as in production (an inline <script> would be refused).
    context.add_init_script(script=AXE_SOURCE)
    context.add_init_script(script=CHECKS_SOURCE)
    audits = Audits()
    context.audits = audits
    context.on("page", lambda page: page.on("framenavigated", audits.navigated))
    return audits


def audit(page, state: str = "") -> None:
    """Run axe on the page as it is now; any WCAG A/AA violation fails the test."""
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.axe && !document.querySelector('.htmx-request')")
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                              resultTypes: ['violations']});
            return r.violations.map(v => ({
                rule: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))
            }));
        }""",
        WCAG_TAGS,
    )
    result += page.evaluate("() => defensaA11y.brokenReferences()")
    context_audits = getattr(page.context, "audits", None)
    if context_audits is not None:
        context_audits.audited.add(urlsplit(page.url).path)
    if result:
        width = page.viewport_size["width"] if page.viewport_size else "?"
        language = page.locator("html").get_attribute("lang")
        where = f"{page.url} at {width}px, lang={language}" + (f", {state}" if state else "")
        lines = [f"axe found {len(result)} accessibility violation(s) on {where}:"]
        for violation in result:
            lines.append(f"- {violation['rule']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"][:10]:
                summary = " ".join(node["summary"].split())
                lines.append(f"    {node['target']}: {summary}")
        raise AssertionError("\n".join(lines))


def keyboard_walk(page, *, reach: list[str], limit: int = 80) -> list[dict]:
    """Press Tab from the top of the page until every name in `reach` had the focus
    (or `limit` stops). Every stop must be on a drawn element with a focus ring of at
    least 2 px and 3:1 contrast against what is around it (WCAG 1.4.11, 2.4.7)."""
    page.evaluate("() => { document.activeElement.blur(); window.scrollTo(0, 0); }")
    stops, wanted = [], set(reach)
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate("() => defensaA11y.focused()")
        if stop is None:
            break
        width, number = page.viewport_size["width"], len(stops) + 1
        where = f"{page.url} at {width}px, Tab stop {number} ({stop['tag']} {stop['name']!r})"
        assert stop["visible"], f"{where} has the focus but is not drawn"
        assert stop["outline"] >= 2, f"{where} shows no focus ring"
        contrast = stop["contrast"]
        assert contrast >= 3, f"{where}: focus ring contrast {contrast:.2f}:1, under 3:1"
        stops.append(stop)
        wanted.discard(stop["name"])
        if not wanted:
            return stops
    names = [s["name"] for s in stops]
    raise AssertionError(f"Tab never reached {sorted(wanted)} on {page.url}; it reached {names}")
