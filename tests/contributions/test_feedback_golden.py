"""The streamed feedback downloads of the seed-0 demo are byte for byte what the report wrote
before it streamed (tests/contributions/golden/, written by the tree before issue 15)."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from polyvox.contributions.models import Contribution
from polyvox.drafts.models import DraftVersion
from polyvox.joint_statements.models import JointStatement

GOLDEN = Path(__file__).parent / "golden"
BASE = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)


def _fixed_dates() -> None:
    """The demo stamps rows with the wall clock; the golden files hold these dates instead."""
    ordered = Contribution.objects.order_by("created_at", "id").values_list("pk", flat=True)
    for n, pk in enumerate(ordered):
        Contribution.objects.filter(pk=pk).update(created_at=BASE + timedelta(minutes=n))
    for n, statement in enumerate(JointStatement.objects.order_by("pk")):
        JointStatement.objects.filter(pk=statement.pk).update(
            published_at=BASE + timedelta(hours=n) if statement.published_at else None,
            sign_on_deadline=BASE + timedelta(days=10 + n) if statement.sign_on_deadline else None,
        )


@pytest.mark.django_db(transaction=True)
def test_the_streamed_downloads_and_the_api_give_the_demos_reports_as_before():
    # flush resets the id sequences, so campaign and statement ids are those of the golden files.
    call_command("flush", interactive=False, verbosity=0)
    call_command("seed_demo", seed=0, verbosity=0)
    _fixed_dates()
    client = Client()
    versions = DraftVersion.objects.published().select_related("draft__process").order_by("pk")
    checked = []
    for version in versions:
        slug, draft, number = version.draft.process.slug, version.draft.slug, version.number
        name = f"{slug}-{draft}-v{number}"
        for ext in ("csv", "json"):
            response = client.get(f"/p/{slug}/drafts/{draft}/v{number}/feedback.{ext}")
            assert response.streaming
            assert b"".join(response.streaming_content) == (GOLDEN / f"{name}.{ext}").read_bytes()
        api = client.get(f"/api/v1/processes/{slug}/drafts/{draft}/versions/{number}/feedback")
        data = api.json()
        for section in data["next_version_sections"]:
            assert section.pop("inputs_total") == len(section["inputs"])  # new: the full count
        assert data == json.loads((GOLDEN / f"{name}.api.json").read_bytes())
        checked.append(name)

    assert len(checked) == 4
