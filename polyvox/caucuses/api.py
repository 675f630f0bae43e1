"""JSON API for caucuses: public data only — names, purposes, member counts and what a caucus
published. No operation returns members, requests, unpublished threads or the working draft."""

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from polyvox.caucuses.models import CaucusThread
from polyvox.caucuses.selectors import caucus_by_slug, caucuses_of, published_threads
from polyvox.core.api_paging import MAX_API_PAGE_SIZE, PAGED, PageIn, page_of
from polyvox.processes.selectors import access_process

router = Router()

THREADS_PER_PAGE = 20  # each thread carries its posts: a smaller default page


class ThreadPageIn(PageIn):
    page_size: int = Field(
        THREADS_PER_PAGE,
        ge=1,
        le=MAX_API_PAGE_SIZE,
        description=f"Threads per page, 1 to {MAX_API_PAGE_SIZE} (default {THREADS_PER_PAGE}).",
    )


class CaucusOut(Schema):
    name: str
    slug: str
    purpose: str
    stakeholder_group: str
    members: int


class PublishedPostOut(Schema):
    author_name: str
    text: str
    posted_at: datetime


class PublishedThreadOut(Schema):
    id: int
    title: str
    published_at: datetime
    posts: list[PublishedPostOut]


@router.get(
    "/processes/{slug}/caucuses",
    response=list[CaucusOut],
    openapi_extra=PAGED,
    summary="List a process's caucuses: name, purpose, stakeholder group and number of members, "
    "by name, a page at a time (Link rel=next, X-Total-Count)",
)
def list_caucuses(
    request: HttpRequest, response: HttpResponse, slug: str, paging: Query[PageIn]
) -> list[CaucusOut]:
    process = access_process(viewer=request.user, slug=slug)
    return [
        CaucusOut(
            name=c.name,
            slug=c.slug,
            purpose=c.purpose,
            stakeholder_group=c.stakeholder_group,
            members=c.member_count,
        )
        for c in page_of(request, response, caucuses_of(process), paging)
    ]


@router.get(
    "/processes/{slug}/caucuses/{caucus}/published-threads",
    response=list[PublishedThreadOut],
    openapi_extra=PAGED,
    summary="The threads a caucus published, newest first, with their posts, a page at a time "
    f"(Link rel=next, X-Total-Count; {THREADS_PER_PAGE} a page unless page_size says)",
)
def list_published_threads(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    caucus: str,
    paging: Query[ThreadPageIn],
) -> list[PublishedThreadOut]:
    process = access_process(viewer=request.user, slug=slug)
    found = caucus_by_slug(process, caucus)
    threads = page_of(request, response, published_threads(found), paging)
    return [_thread_out(t) for t in threads]


def _thread_out(thread: CaucusThread) -> PublishedThreadOut:
    posts = thread.published_posts  # type: ignore[attr-defined]
    return PublishedThreadOut(
        id=thread.pk,
        title=thread.title,
        published_at=thread.published_at or thread.created_at,  # always set: published only
        posts=[
            PublishedPostOut(author_name=str(p.author), text=p.body, posted_at=p.created_at)
            for p in posts
        ],
    )
