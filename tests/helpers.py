from html.parser import HTMLParser

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(function) -> int:
    """Run `function()` and return how many SQL queries it made."""
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def assert_constant_queries(make_rows, fetch, *, small=10, large=200):
    """A page must make as many queries with `large` rows as with `small`.

    `make_rows(n)` adds n rows; `fetch()` requests the page and returns the response.
    Both counts are taken warm (after one fetch): adding rows may drop a cached answer
    (the dashboard's membership counts), which the next view recomputes once.
    """
    make_rows(small)
    response = fetch()
    assert response.status_code == 200, response.status_code
    few = count_queries(fetch)
    make_rows(large - small)
    fetch()
    many = count_queries(fetch)
    assert many == few, f"{few} queries with {small} rows but {many} with {large}"
    return many


class _FormReader(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.values = form_id, False, {}
        self._select = self._textarea = None

    def _add(self, name, value):
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            # `form` names the form by id or action; "" is a form posting to its own page.
            self.inside = self.form_id in (attrs.get("id"), attrs.get("action", ""))
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self._add(attrs["name"], attrs.get("value") or default)
        elif tag == "select":
            self._select, self._first, self._chosen = attrs["name"], None, False
            self._multiple = "multiple" in attrs
        elif tag == "option" and self._select:
            if self._first is None:
                self._first = attrs.get("value", "")
            if "selected" in attrs:
                self._chosen = True
                self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._add(self._textarea, "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            # A single choice with nothing selected sends its first option, as browsers do.
            if not self._chosen and not self._multiple and self._first is not None:
                self._add(self._select, self._first)
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data.removeprefix("\n")


def form_values(html: str, form: str) -> dict[str, list[str]]:
    """What a browser would send for the form whose id or action is `form` ("" for one
    without an action), untouched: a test can post a page's form back as it was rendered."""
    reader = _FormReader(form)
    reader.feed(html)
    return reader.values
