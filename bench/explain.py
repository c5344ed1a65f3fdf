"""The plans of the queries a people search by name really runs (captured from the
page itself), to show they use indexes."""

from django.db import connection


def name_search_plan(client, path: str, data: dict) -> str:
    """EXPLAIN ANALYZE of each query of `path` (a signed-in test client's POST of `data`,
    as the directory's search form sends it) that searches names (LIKE on the
    accent-folded name)."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.post(path, data)
    assert response.status_code == 200, (path, response.status_code)
    lines = []
    for query in captured.captured_queries:
        if "LIKE" not in query["sql"].upper():
            continue
        with connection.cursor() as cursor:  # on PostgreSQL the captured SQL is complete
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + query["sql"])
            lines += [row[0] for row in cursor.fetchall()] + [""]
    if not lines:
        return "(no query of this search compared names: the search was not applied)"
    return "\n".join(lines).strip()
