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
    """
    make_rows(small)
    response = fetch()
    assert response.status_code == 200, response.status_code
    few = count_queries(fetch)
    make_rows(large - small)
    many = count_queries(fetch)
    assert many == few, f"{few} queries with {small} rows but {many} with {large}"
    return many
