"""Several counts in one round trip.

    counts(open=incidents, unclaimed=incidents.filter(claimed_by__isnull=True))
    -> {"open": 3, "unclaimed": 1}

A dashboard panel that counts four tables made four round trips; on a loaded server
each costs more than the count itself. Each queryset is compiled by the ORM (with its
parameters) and counted in a scalar subquery of one SELECT.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import QuerySet


def counts(**querysets: QuerySet) -> dict[str, int]:
    if not querysets:
        return {}
    parts, params = [], []
    database = None
    for n, queryset in enumerate(querysets.values()):
        database = database or queryset.db
        sql, query_params = queryset.order_by().values("pk").query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{n})")  # noqa: S608 (ORM SQL, params apart)
        params.extend(query_params)
    with connections[database].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(querysets, (int(value) for value in row), strict=True))
