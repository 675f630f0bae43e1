"""The home page: each process's current phase and "closes in N days", Markdown rendered, in
the page's language, marked with the language of its text."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from polyvox.processes.models import ProcessTranslation
from polyvox.processes.phase_types import PhaseKind
from tests.experience.html import attr, classes, page, select, select_one, text
from tests.factories import PhaseFactory, ProcessFactory

pytestmark = pytest.mark.django_db


def card(response, title):
    for article in select(page(response), "article.process-card"):
        if text(select_one(article, "h2")) == title:
            return article
    raise AssertionError(f"no card for {title!r}")


@pytest.fixture
def now():
    return timezone.now()


def test_an_open_phase_shows_its_title_and_closes_in_n_days(client, now):
    process = ProcessFactory(title="Principles")
    PhaseFactory(
        process=process,
        title="Comments on the draft",
        starts_at=now - timedelta(days=3),
        ends_at=now + timedelta(days=12, hours=2),
    )

    found = card(client.get("/"), "Principles")

    line = text(select_one(found, ".process-phase"))
    assert line.startswith("Open now Comments on the draft (Draft comment) closes in 12 days")
    deadline = select_one(found, ".process-phase time")
    assert attr(deadline, "datetime")[:10] == (now + timedelta(days=12, hours=2)).date().isoformat()


def test_a_deadline_within_three_days_is_marked_soon_and_today_says_today(client, now):
    soon, today = ProcessFactory(title="Soon"), ProcessFactory(title="Today")
    PhaseFactory(process=soon, ends_at=now + timedelta(days=2))
    PhaseFactory(process=today, ends_at=now + timedelta(minutes=1))

    response = client.get("/")

    assert classes(select_one(card(response, "Soon"), ".deadline")) == ["deadline", "soon"]
    assert text(select_one(card(response, "Soon"), ".deadline")) == "closes in 2 days"
    assert text(select_one(card(response, "Today"), ".deadline")) == "closes today"


def test_between_phases_the_next_one_and_opens_in_n_days_are_shown(client, now):
    process = ProcessFactory(title="Next")
    PhaseFactory(
        process=process,
        kind=PhaseKind.DELIBERATION,
        title="Deliberation",
        starts_at=now + timedelta(days=4),
        ends_at=now + timedelta(days=10),
    )

    line = text(select_one(card(client.get("/"), "Next"), ".process-phase"))

    assert line.startswith("Coming Deliberation (Deliberation) opens in 4 days")


def test_a_process_whose_phases_are_over_or_that_was_closed_says_closed(client, now):
    over, closed = ProcessFactory(title="Over"), ProcessFactory(title="Shut")
    PhaseFactory(process=over, starts_at=now - timedelta(days=9), ends_at=now - timedelta(days=2))
    PhaseFactory(process=closed)
    closed.closed_at = now
    closed.save()
    ProcessFactory(title="Empty")

    response = client.get("/")

    assert text(select_one(card(response, "Over"), ".process-phase")) == "Closed"
    assert text(select_one(card(response, "Shut"), ".process-phase")).startswith("Closed ")
    assert text(select_one(card(response, "Empty"), ".process-phase")) == (
        "No phase scheduled yet."
    )


def test_the_mandate_is_rendered_markdown_not_raw(client):
    ProcessFactory(title="Md", mandate="Gather **inputs** on [the draft](https://example.org).")

    mandate = select_one(card(client.get("/"), "Md"), ".mandate")

    assert select_one(mandate, "strong") is not None
    assert attr(select_one(mandate, "a"), "href") == "https://example.org"
    assert "**" not in text(mandate)


def test_the_home_page_shows_the_french_title_in_french_marked_with_its_language(client):
    process = ProcessFactory(title="Principles", mandate="Gather inputs.", languages=["en", "fr"])
    ProcessTranslation.objects.create(
        process=process,
        language="fr",
        title="Principes",
        mandate="Recueillir les contributions.",
        translated_by=process.created_by,
    )

    response = client.get("/", headers={"accept-language": "fr"})

    found = card(response, "Principes")
    assert attr(select_one(found, "h2 a"), "lang") == "fr"
    assert attr(select_one(found, "h2 a"), "dir") == "auto"
    assert text(select_one(found, ".mandate")) == "Recueillir les contributions."


def test_untranslated_text_keeps_dir_auto_in_an_arabic_page(client):
    ProcessFactory(title="Principles for community networks")

    response = client.get("/", headers={"accept-language": "ar"})

    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    link = select_one(card(response, "Principles for community networks"), "h2 a")
    assert attr(link, "dir") == "auto"


def test_the_home_page_reads_the_same_number_of_queries_for_2_and_10_processes(client, now):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured.captured_queries)

    for i in range(2):
        PhaseFactory(process=ProcessFactory(), ends_at=now + timedelta(days=i + 1))
    few = queries()
    for i in range(8):
        PhaseFactory(process=ProcessFactory(), ends_at=now + timedelta(days=i + 1))

    assert queries() == few
