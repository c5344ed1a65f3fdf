"""The query plan of a people search by name, to show it uses the trigram index."""

from django.db import connection


def name_search_plan(term: str = "garc") -> str:
    from members.models import Person
    from members.selectors import person_search

    queryset = person_search(Person.objects.all(), term).order_by("preferred_name", "id")[:50]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())
