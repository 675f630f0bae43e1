"""The public moderation log in the API: dates, kinds, reason codes, tracking numbers; no text,
no names (mounted by config/api.py)."""

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from polyvox.core.api_paging import PAGED, PageIn, page_of
from polyvox.moderation.models import ModerationAction
from polyvox.processes.selectors import access_process

router = Router()  # public reads only: no authentication


class ModerationLogEntryOut(Schema):
    id: int
    created_at: datetime
    action: str
    reason_code: str
    tracking_number: str | None
    statement_id: int | None
    reversed_on_appeal: bool


@router.get(
    "/processes/{slug}/moderation-log",
    response=list[ModerationLogEntryOut],
    openapi_extra=PAGED,
    summary="The public moderation log of a process, newest first: each action's date, kind, "
    "reason code and item (never hidden content or names), a page at a time",
)
def moderation_log(
    request: HttpRequest, response: HttpResponse, slug: str, paging: Query[PageIn]
) -> list[ModerationLogEntryOut]:
    process = access_process(viewer=request.user, slug=slug)
    actions = (
        ModerationAction.objects.filter(process=process)
        .select_related("contribution")
        .only(
            "id",
            "created_at",
            "action",
            "reason_code",
            "statement_id",
            "reversed_at",
            "contribution__tracking_number",
        )
        .order_by("-created_at", "-id")
    )
    return [
        ModerationLogEntryOut(
            id=action.pk,
            created_at=action.created_at,
            action=action.action,
            reason_code=action.reason_code,
            tracking_number=action.contribution.tracking_number if action.contribution else None,
            statement_id=action.statement_id,
            reversed_on_appeal=action.reversed_at is not None,
        )
        for action in page_of(request, response, actions, paging)
    ]
