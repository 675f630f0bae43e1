"""One way every API list is paged: `?page=` and `?page_size=`, the total in `X-Total-Count`, the
next page in a `Link: <…>; rel="next"` header (RFC 8288 web linking, as the GitHub and GitLab
APIs do). Offset paging: simple for clients; lists that grow large order by an indexed key."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

API_PAGE_SIZE = 100  # rows per page unless `page_size` asks for another number
MAX_API_PAGE_SIZE = 1000


def paginate(
    request: HttpRequest, response: HttpResponse, rows: QuerySet[Any], page: int, page_size: int
) -> tuple[int, list[Any]]:
    """(total, one page of `rows`), with X-Total-Count and a Link rel=next header."""
    total = rows.count()
    start = (page - 1) * page_size
    response["X-Total-Count"] = str(total)
    if start + page_size < total:
        query = request.GET.copy()
        query["page"] = str(page + 1)
        response["Link"] = f'<{request.path}?{query.urlencode()}>; rel="next"'
    return total, list(rows[start : start + page_size])
