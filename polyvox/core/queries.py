"""Query pieces the apps share."""

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def correlated_count(rows: QuerySet[Any], link: str) -> Coalesce:
    """How many of `rows` point at the outer row through the foreign key `link`, as a correlated
    subquery: annotating several counts this way multiplies no rows, unlike joins with Count."""
    counted = (
        rows.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
