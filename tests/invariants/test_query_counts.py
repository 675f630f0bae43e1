"""Key pages cost a fixed number of queries, however many contributions a process has (no N+1)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from polyvox.contributions.services.dispositions import record_disposition
from polyvox.contributions.services.submitting import submit_contribution
from polyvox.demo.drafts import V1
from polyvox.drafts.services import create_draft, publish_draft_version
from tests.factories import PhaseFactory, UserFactory, make_secretariat

PAGES = [
    "/p/{slug}/",
    "/p/{slug}/drafts/principles/v1/",
    "/p/{slug}/drafts/principles/v1/feedback/",
    "/p/{slug}/drafts/principles/v1/feedback.csv",
    "/p/{slug}/contributions/",
    "/api/v1/processes/{slug}/contributions",
]


def add_inputs(process, version, secretariat, count: int, start: int) -> None:
    sections = list(version.sections.all())
    for n in range(start, start + count):
        author = UserFactory(username=f"voice{n}")
        contribution = submit_contribution(
            author=author,
            process=process,
            kind="comment",
            section=sections[n % len(sections)],
            body=f"Input number {n}.",
        )
        reply = submit_contribution(
            author=secretariat, process=process, kind="reply", parent=contribution, body="Thanks."
        )
        assert reply.parent_id == contribution.pk
        record_disposition(
            actor=secretariat, contribution=contribution, outcome="noted", reason="Noted."
        )


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("page", PAGES)
def test_page_queries_do_not_grow_with_the_number_of_inputs(db, page):
    process = PhaseFactory().process
    sofia = make_secretariat(process, username="sofia")
    draft = create_draft(actor=sofia, process=process, slug="principles", title="Principles")
    version = publish_draft_version(actor=sofia, draft=draft, markdown=V1)
    url = page.format(slug=process.slug)
    add_inputs(process, version, sofia, 3, start=0)
    few = queries(Client(), url)

    add_inputs(process, version, sofia, 12, start=3)
    many = queries(Client(), url)

    assert many == few, f"{url}: {few} queries with 3 inputs, {many} with 15"
