"""One way every API list is paged (docs/api.md, "Lists"): `?page_size=` rows (at most 1000) a
page; the next page is the `Link: <…>; rel="next"` header (RFC 8288 web linking, as the GitHub
and GitLab APIs do), which carries an opaque `cursor`; `X-Total-Count` where counting is cheap.

Why a cursor: `?page=N` (kept for existing clients) is an OFFSET, which reads and skips every
earlier row (page 9,900 of a million inputs reads 990,000 of them) and shifts when rows arrive
or are hidden between two requests, so a walk meets a row twice or misses one. A keyset cursor
holds the last row's sort key and asks for the rows after it (`WHERE (created_at, id) > …`),
which an index on the sort key finds directly at any depth, and which no insertion elsewhere can
shift (https://use-the-index-luke.com/no-offset). Lists whose order is not a plain column (vote
counts, names of a related row, nullable dates) keep an offset inside the cursor: they are short.
"""

import base64
import binascii
import json
from datetime import date, datetime
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Field as ModelField
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Schema

API_PAGE_SIZE = 100  # rows per page unless `page_size` asks for another number
MAX_API_PAGE_SIZE = 1000
MAX_PAGE = 1_000_000  # `page` beyond this is refused (a deep offset is what the cursor is for)
MAX_CURSOR_CHARS = 1000  # a cursor holds a few sort values; anything longer is not ours
# Counting reads every matching row (an index at best); past this many the total is left out, as
# GitLab's API does past 10,000 (https://docs.gitlab.com/api/rest/#pagination-response-headers),
# so a count never costs more than reading this many rows.
COUNT_LIMIT = 10_000

TOTAL_HEADER = "X-Total-Count"


class PageIn(Schema):
    """The paging parameters every list takes (`paging: Query[PageIn]`)."""

    page_size: int = Field(
        API_PAGE_SIZE,
        ge=1,
        le=MAX_API_PAGE_SIZE,
        description=f"Rows per page, 1 to {MAX_API_PAGE_SIZE} (default {API_PAGE_SIZE}).",
    )
    cursor: str = Field(
        "",
        max_length=MAX_CURSOR_CHARS,
        description='Where the page starts: copy it from the previous page\'s `Link: <…>; rel="next"` '
        "header (opaque; a walk by cursor meets every row once, even while rows arrive).",
    )
    page: int | None = Field(
        None,
        ge=1,
        le=MAX_PAGE,
        description="Page number (offset paging, kept for existing clients; slow when deep and "
        "may repeat or skip rows that arrive meanwhile). Not with `cursor`.",
    )


# The response headers of a paged list, for the OpenAPI document (`openapi_extra=PAGED`).
PAGED: dict[str, Any] = {
    "responses": {
        200: {
            "headers": {
                "Link": {
                    "description": 'The next page: `<URL>; rel="next"` (RFC 8288), with the same '
                    "filters and a `cursor`; absent on the last page.",
                    "schema": {"type": "string"},
                },
                TOTAL_HEADER: {
                    "description": "How many rows the list holds with these filters, where "
                    f"counting is cheap: up to {COUNT_LIMIT:,}, on the first page and on `page` "
                    "requests (absent on cursor pages: a walk counts once).",
                    "schema": {"type": "integer"},
                },
            }
        }
    }
}


def _bad_cursor() -> ValidationError:
    return ValidationError(
        {"cursor": [_("This cursor is not valid for this list: follow the Link header.")]}
    )


def _encode(payload: dict[str, Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode(cursor: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise _bad_cursor() from error
    if not isinstance(payload, dict):
        raise _bad_cursor()
    return payload


def _json_value(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def _column(model: type[Model], path: str) -> ModelField[Any, Any] | None:
    """The non-null, non-relation column `path` names (across relations), or None."""
    opts = model._meta
    parts = path.split("__")
    for position, part in enumerate(parts):
        try:
            field = opts.pk if part == "pk" else opts.get_field(part)
        except FieldDoesNotExist:
            return None
        if not isinstance(field, ModelField) or field.null:
            return None  # a reverse relation, a generic one, or a nullable column
        if position == len(parts) - 1:
            return None if field.is_relation else field
        if not field.is_relation or field.many_to_many or field.related_model is None:
            return None
        opts = field.related_model._meta  # type: ignore[union-attr]
    return None


def _ordering(rows: QuerySet[Any]) -> list[Any]:
    if rows.query.order_by:
        return list(rows.query.order_by)
    return list(rows.model._meta.ordering) if rows.query.default_ordering else []


def stable(rows: QuerySet[Any]) -> QuerySet[Any]:
    """`rows` in their order with the primary key last, so equal sort values keep one order."""
    ordering = _ordering(rows)
    last = ordering[-1] if ordering else None
    if isinstance(last, str) and last.lstrip("-") in {"pk", rows.model._meta.pk.name}:
        return rows
    return rows.order_by(*ordering, "pk")


def _keyset(rows: QuerySet[Any]) -> list[tuple[str, bool, ModelField[Any, Any]]] | None:
    """The list's order as (path, descending, column), ending on the primary key, or None where
    the order is not made of plain non-null columns (then the cursor holds an offset)."""
    keys: list[tuple[str, bool, ModelField[Any, Any]]] = []
    for item in _ordering(rows):
        if not isinstance(item, str) or item == "?":
            return None
        path = item.removeprefix("-")
        if path in rows.query.annotations:
            return None
        column = _column(rows.model, path)
        if column is None:
            return None
        keys.append((path, item.startswith("-"), column))
    pk = rows.model._meta.pk
    if not keys or not (keys[-1][2] is pk and "__" not in keys[-1][0]):
        return None
    return keys


def _after(keys: list[tuple[str, bool, ModelField[Any, Any]]], values: list[Any]) -> Q:
    """Rows that sort after `values`: (a > x) or (a = x and b > y) …, with a bound on the first
    column alone so that its index gives the range."""
    disjuncts = []
    for position, (path, descending, _column) in enumerate(keys):
        equal = {keys[j][0]: values[j] for j in range(position)}
        beyond = {f"{path}__{'lt' if descending else 'gt'}": values[position]}
        disjuncts.append(Q(**equal, **beyond))
    first, descending, _column = keys[0]
    bound = Q(**{f"{first}__{'lte' if descending else 'gte'}": values[0]})
    return bound & reduce(or_, disjuncts)


def _key_values(
    cursor: dict[str, Any], keys: list[tuple[str, bool, ModelField[Any, Any]]]
) -> list[Any]:
    raw = cursor.get("k")
    if not isinstance(raw, list) or len(raw) != len(keys):
        raise _bad_cursor()
    try:
        return [column.to_python(value) for value, (_p, _d, column) in zip(raw, keys, strict=True)]
    except (ValidationError, TypeError, ValueError) as error:
        raise _bad_cursor() from error


def _last_key(rows: QuerySet[Any], last: Any, keys: list[tuple[str, bool, Any]]) -> list[object]:
    if all("__" not in path for path, _d, _c in keys):
        values = [getattr(last, column.attname) for _p, _d, column in keys]
    else:  # a column of a related row: ask for it rather than load the relation
        found = rows.model._base_manager.filter(pk=last.pk).values_list(*(p for p, _d, _c in keys))
        values = list(found.get())
    return [_json_value(value) for value in values]


def _next_link(request: HttpRequest, cursor: str) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query["cursor"] = cursor
    return f'<{request.path}?{query.urlencode()}>; rel="next"'


def page_of(
    request: HttpRequest,
    response: HttpResponse,
    rows: QuerySet[Any],
    paging: PageIn,
    *,
    count: bool | Literal["exact"] = True,
) -> list[Any]:
    """One page of `rows` (ordered; the primary key is added last if missing), with the Link
    rel=next header when more rows follow and X-Total-Count on the first page and `page`
    requests, if the list holds at most COUNT_LIMIT rows ("exact": however many; False: none,
    say why where a list passes it)."""
    if paging.cursor and paging.page is not None:
        raise ValidationError({"cursor": [_("Give a cursor or a page number, not both.")]})
    rows = stable(rows)
    keys = _keyset(rows)
    start = 0
    if paging.cursor:
        cursor = _decode(paging.cursor)
        if keys is not None and "k" in cursor:
            rows = rows.filter(_after(keys, _key_values(cursor, keys)))
        elif keys is None and isinstance(cursor.get("o"), int) and cursor["o"] >= 0:
            start = cursor["o"]
        else:
            raise _bad_cursor()
    elif paging.page is not None:
        start = (paging.page - 1) * paging.page_size
    if count and not paging.cursor:
        # At most COUNT_LIMIT + 1 rows are read (`SELECT COUNT(*) FROM (… LIMIT n)`).
        total = rows.order_by()[: COUNT_LIMIT + 1].count() if count != "exact" else rows.count()
        if total <= COUNT_LIMIT or count == "exact":
            response[TOTAL_HEADER] = str(total)
    # One row more than the page says whether a next page exists, without counting.
    found = list(rows[start : start + paging.page_size + 1])
    page = found[: paging.page_size]
    if len(found) > paging.page_size:
        if keys is not None:
            following = _encode({"k": _last_key(rows, page[-1], keys)})
        else:
            following = _encode({"o": start + paging.page_size})
        response["Link"] = _next_link(request, following)
    return page


def paginate(
    request: HttpRequest, response: HttpResponse, rows: QuerySet[Any], page: int, page_size: int
) -> tuple[int, list[Any]]:
    """(total, page `page` of `rows`), with X-Total-Count and a Link rel=next header (a cursor).
    Kept for callers that page by number; new lists take `paging: Query[PageIn]` and `page_of`."""
    response_rows = page_of(
        request, response, rows, PageIn(page=page, page_size=page_size, cursor=""), count="exact"
    )
    return int(response[TOTAL_HEADER]), response_rows
