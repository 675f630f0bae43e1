"""JSON API for caucuses: public data only — names, purposes, member counts and what a caucus
published. No operation returns members, requests, unpublished threads or the working draft."""

from datetime import datetime

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Router, Schema

from polyvox.caucuses.models import CaucusThread
from polyvox.caucuses.selectors import caucus_by_slug, caucuses_of, published_threads
from polyvox.processes.selectors import access_process

router = Router()

THREADS_PER_PAGE = 20


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
    summary="List a process's caucuses: name, purpose, stakeholder group and number of members",
)
def list_caucuses(request: HttpRequest, slug: str) -> list[CaucusOut]:
    process = access_process(viewer=request.user, slug=slug)
    return [
        CaucusOut(
            name=c.name,
            slug=c.slug,
            purpose=c.purpose,
            stakeholder_group=c.stakeholder_group,
            members=c.member_count,  # type: ignore[attr-defined]
        )
        for c in caucuses_of(process)
    ]


@router.get(
    "/processes/{slug}/caucuses/{caucus}/published-threads",
    response=list[PublishedThreadOut],
    summary="The threads a caucus published, newest first, with their posts (20 a page)",
)
def list_published_threads(
    request: HttpRequest, slug: str, caucus: str, page: int = 1
) -> list[PublishedThreadOut]:
    process = access_process(viewer=request.user, slug=slug)
    found = caucus_by_slug(process, caucus)
    threads = Paginator(published_threads(found), THREADS_PER_PAGE).get_page(page)
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
