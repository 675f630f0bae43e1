"""Caucus content never leaves the caucus until a facilitator publishes it.

Sentinels are planted in a caucus of the demo process: a thread's title and posts, the working
draft, and a membership request's message. An anonymous visitor and signed-in participants who
are not members (one of them with a pending request) then read every public page reachable from
the process page, the contributions list with its downloads and a search for each sentinel, the
record and its download, the caucus pages (the thread and the draft asked for directly), every
GET operation of the API, the record entries, and what non-members were notified and e-mailed:
no sentinel appears. Once a facilitator publishes the thread, its sentinels do appear on the
public thread page, in the API and on the record (so the test can fail), while the rest stays
inside. Members see everything (so the test looks for what is really there).
"""

import json
import re

import pytest
from django.core import mail
from django.test import Client

from polyvox.caucuses.models import Caucus, CaucusMembershipStatus, CaucusThread
from polyvox.caucuses.services.content import (
    post_in_thread,
    publish_thread,
    save_working_draft,
    start_thread,
)
from polyvox.caucuses.services.membership import (
    create_caucus,
    decide_membership,
    request_membership,
)
from polyvox.config.api import api
from polyvox.contributions.services.submitting import submit_contribution
from polyvox.demo.scenario import build_demo_process
from polyvox.notifications.models import Notification
from polyvox.participants.models import User
from polyvox.record.models import RecordEntry
from polyvox.record.services import integrate_pending
from tests.factories import UserFactory
from tests.invariants.test_privacy import crawl

SENTINEL_THREAD = "SENTINEL-CAUCUS-THREAD-wombat"  # published in the end
SENTINEL_POST = "SENTINEL-CAUCUS-POST-narwhal"  # in the thread that is published in the end
SENTINEL_KEPT_THREAD = "SENTINEL-CAUCUS-KEPT-THREAD-axolotl"  # never published
SENTINEL_KEPT_POST = "SENTINEL-CAUCUS-KEPT-POST-pangolin"  # never published
SENTINEL_DRAFT = "SENTINEL-CAUCUS-DRAFT-okapi"
SENTINEL_REQUEST = "SENTINEL-CAUCUS-REQUEST-tapir"  # a request message: facilitators only
PUBLISHED = (SENTINEL_THREAD, SENTINEL_POST)
KEPT = (SENTINEL_KEPT_THREAD, SENTINEL_KEPT_POST, SENTINEL_DRAFT, SENTINEL_REQUEST)
SLUG = "cn-principles"


@pytest.fixture
def caucus(db: None, django_capture_on_commit_callbacks) -> Caucus:
    """The demo process with a caucus full of sentinels; e-mails are really sent (to the outbox)."""
    process = build_demo_process(seed=0)
    amina = User.objects.get(username="amina")
    member = UserFactory(username="caucusmember", profile={"stakeholder_group": "civil_society"})
    requester = UserFactory(username="requester", profile={"stakeholder_group": "civil_society"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        caucus = create_caucus(
            actor=amina,
            process=process,
            name="Community networks caucus",
            purpose="Civil society's common line on spectrum.",
            stakeholder_group="civil_society",
        )
        joined = request_membership(actor=member, caucus=caucus, message=SENTINEL_REQUEST)
        decide_membership(actor=amina, membership=joined, approve=True)
        request_membership(actor=requester, caucus=caucus, message=SENTINEL_REQUEST)
        thread = start_thread(
            actor=member, caucus=caucus, title=SENTINEL_THREAD, body=f"{SENTINEL_POST} one"
        )
        post_in_thread(actor=amina, thread=thread, body=f"{SENTINEL_POST} two")
        kept = start_thread(
            actor=amina, caucus=caucus, title=SENTINEL_KEPT_THREAD, body=SENTINEL_KEPT_POST
        )
        post_in_thread(actor=member, thread=kept, body=SENTINEL_KEPT_POST)
        save_working_draft(actor=member, caucus=caucus, title="Our line", body=SENTINEL_DRAFT)
    return caucus


def _thread(caucus: Caucus, title: str) -> CaucusThread:
    return CaucusThread.objects.get(caucus=caucus, title=title)


def caucus_urls(caucus: Caucus) -> list[str]:
    """The caucus's pages, including those only members are linked to."""
    base = f"/p/{SLUG}/caucuses/{caucus.slug}/"
    threads = [f"{base}threads/{t.pk}/" for t in CaucusThread.objects.filter(caucus=caucus)]
    return [f"/p/{SLUG}/caucuses/", base, f"{base}draft/", f"{base}members/", *threads]


def public_urls(caucus: Caucus) -> list[str]:
    """Pages the crawler might not reach by links: downloads, and a search for every sentinel's
    last word (the search box shows the words searched for, never a whole sentinel)."""
    words = [sentinel.rsplit("-", 1)[1] for sentinel in (*PUBLISHED, *KEPT)]
    searches = [f"/p/{SLUG}/contributions/?q={word}" for word in words] + [
        f"/api/v1/processes/{SLUG}/contributions?q={word}" for word in words
    ]
    return [
        f"/p/{SLUG}/",
        f"/p/{SLUG}/contributions/",
        f"/p/{SLUG}/contributions.csv",
        f"/p/{SLUG}/contributions.json",
        f"/p/{SLUG}/record/",
        f"/p/{SLUG}/record.jsonl",
        *searches,
        *caucus_urls(caucus),
    ]


def api_get_urls(caucus: Caucus) -> list[str]:
    """Every GET operation of the API, filled in with the demo process and this caucus."""
    values = {"slug": SLUG, "draft": "principles", "number": "1", "caucus": caucus.slug}
    urls = []
    for path, methods in api.get_openapi_schema()["paths"].items():
        if "get" in methods:
            urls.append(re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "1"), path))
    return urls


def read(client: Client, url: str) -> str:
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8", errors="replace")


def everything_public(client: Client, caucus: Caucus) -> dict[str, str]:
    integrate_pending()  # the record's page and download show the entries in the signed log
    pages = crawl(client, f"/p/{SLUG}/")
    for url in [*public_urls(caucus), *api_get_urls(caucus)]:
        pages[url] = read(client, url)
    return pages


def found(pages: dict[str, str], sentinels: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(url, s) for url, body in pages.items() for s in sentinels if s in body]


def record_text(caucus: Caucus) -> str:
    entries = RecordEntry.objects.filter(process=caucus.process).order_by("id")
    return json.dumps([e.payload for e in entries], ensure_ascii=False)


def told_to_non_members(caucus: Caucus) -> list[str]:
    """Every notification and e-mail that reached someone who is not an approved member."""
    members = set(
        caucus.memberships.filter(status=CaucusMembershipStatus.APPROVED).values_list(
            "user__email", flat=True
        )
    )
    notes = Notification.objects.exclude(recipient__email__in=members)
    mails = [m for m in mail.outbox if set(m.to) - members]
    return [f"{n.subject} {n.body} {n.url}" for n in notes] + [
        f"{m.subject} {m.body}" for m in mails
    ]


def test_an_anonymous_visitor_reads_no_caucus_content_anywhere(caucus):
    client = Client()

    pages = everything_public(client, caucus)

    assert f"/p/{SLUG}/caucuses/{caucus.slug}/" in pages, "the crawl missed the caucus"
    assert "Community networks caucus" in pages[f"/p/{SLUG}/caucuses/"]
    assert any("caucuses" in url and "/api/v1/" in url for url in pages)
    assert found(pages, (*PUBLISHED, *KEPT)) == []
    assert [s for s in (*PUBLISHED, *KEPT) if s in record_text(caucus)] == []


@pytest.mark.parametrize("username", ["kenji", "requester"])
def test_a_participant_outside_the_caucus_reads_and_is_told_nothing_of_it(caucus, username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    thread = _thread(caucus, SENTINEL_THREAD)

    pages = everything_public(client, caucus)
    refused = client.get(f"/p/{SLUG}/caucuses/{caucus.slug}/threads/{thread.pk}/")

    assert refused.status_code == 403
    assert "Only members of this caucus can read it; ask to join." in refused.content.decode()
    # The requester's own data download holds the request they wrote, and only that.
    own = {("/account/data/", SENTINEL_REQUEST)} if username == "requester" else set()
    assert set(found(pages, (*PUBLISHED, *KEPT))) == own
    told = told_to_non_members(caucus)
    assert [s for s in (*PUBLISHED, *KEPT) for text in told if s in text] == []


def test_members_read_the_planted_content_and_facilitators_the_request(caucus):
    member, facilitator = Client(), Client()
    member.force_login(User.objects.get(username="caucusmember"))
    facilitator.force_login(User.objects.get(username="amina"))
    base = f"/p/{SLUG}/caucuses/{caucus.slug}/"
    kept = _thread(caucus, SENTINEL_KEPT_THREAD)

    detail = read(member, base)
    thread_page = read(member, f"{base}threads/{kept.pk}/")
    draft = read(member, f"{base}draft/")
    requests = read(facilitator, base)

    assert SENTINEL_THREAD in detail
    assert SENTINEL_KEPT_THREAD in detail
    assert SENTINEL_KEPT_POST in thread_page
    assert SENTINEL_DRAFT in draft
    assert SENTINEL_REQUEST in requests
    assert SENTINEL_REQUEST not in detail  # a plain member does not read requests
    assert any(SENTINEL_POST in m.body for m in mail.outbox if "caucusmember" in m.to[0])


def test_once_a_facilitator_publishes_the_thread_it_is_public_and_the_rest_stays_inside(caucus):
    thread = _thread(caucus, SENTINEL_THREAD)
    publish_thread(actor=User.objects.get(username="amina"), thread=thread)
    client = Client()

    pages = everything_public(client, caucus)

    thread_page = pages[f"/p/{SLUG}/caucuses/{caucus.slug}/threads/{thread.pk}/"]
    published_api = pages[f"/api/v1/processes/{SLUG}/caucuses/{caucus.slug}/published-threads"]
    assert SENTINEL_THREAD in thread_page
    assert SENTINEL_POST in thread_page
    assert SENTINEL_POST in published_api
    assert SENTINEL_THREAD in pages[f"/p/{SLUG}/record.jsonl"]
    assert SENTINEL_POST in record_text(caucus)
    assert found(pages, KEPT) == []
    assert [s for s in KEPT if s in record_text(caucus)] == []


def test_the_searches_above_find_public_text_so_their_silence_means_something(caucus):
    """A control for the searches in `public_urls`: a public input's word is found by both.
    (Every sentinel ends in a plain word: PostgreSQL's parser would read a part such as "77e2"
    as a number, and a search for it would find nothing even where it is.)"""
    control = "SENTINEL-PUBLIC-INPUT-quokka"
    submit_contribution(
        author=User.objects.get(username="kenji"),
        process=caucus.process,
        kind="general",
        body=f"Spectrum sharing needs coordination. {control}",
    )
    client = Client()

    page = read(client, f"/p/{SLUG}/contributions/?q=quokka")
    api_list = read(client, f"/api/v1/processes/{SLUG}/contributions?q=quokka")

    assert control in page
    assert control in api_list
