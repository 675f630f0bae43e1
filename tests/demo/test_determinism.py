"""The demo is deterministic: seeding it twice into an empty database stores the same data."""

import re
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

# What legitimately differs between two seedings, and why. Everything else must be equal.
WALL_CLOCK = "the seeder anchors phases on timezone.now(); services stamp rows when they write"
EXCLUDED_FIELDS: dict[tuple[str, str], str] = {
    ("participants.User", "password"): "a password hash has a random salt each time",
    ("record.RecordEntry", "recorded_at"): WALL_CLOCK,
    ("record.RecordNode", "hash"): "leaf hashes cover recorded_at (wall clock)",
    ("record.RecordLog", "root_hash"): "the root covers recorded_at (wall clock)",
    ("record.RecordCheckpoint", "root_hash"): "the root covers recorded_at (wall clock)",
    ("record.RecordCheckpoint", "note"): "the signed root covers recorded_at (wall clock)",
}
# Keys of JSON columns (record payloads, a designation's evidence) that copy a wall-clock time
# (a phase's dates, a sign-on deadline, when a caucus post was written, when a designation was
# made or its evidence computed, a commitment's dates), at any depth.
EXCLUDED_PAYLOAD_KEYS = dict.fromkeys(
    (
        "starts_at",
        "ends_at",
        "sign_on_deadline",
        "posted_at",
        "designated_at",
        "objections_close_at",
        "computed_at",
        "declared_at",
        "due_on",
        "at",
        "answered_at",
    ),
    WALL_CLOCK,
)
# Dates written into notification texts ("you may object until 2026-12-07 17:23 UTC") follow
# the seeder's clock too; they are compared with the date replaced.
DATE_IN_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?")
TEXT_WITH_DATES = {
    ("notifications.Notification", "subject"),
    ("notifications.Notification", "body"),
    ("notifications.Circulation", "subject"),
    ("notifications.Circulation", "body"),
    ("notifications.Circulation", "texts"),  # {language: {"subject", "body"}}
}
# Tables compared as a multiset of rows without their ids.
UNORDERED: dict[str, str] = {
    "notifications.Notification": "notify() writes a row per recipient in the order the database "
    "returns process_participants() (no ORDER BY), which PostgreSQL does not fix",
}


def _row(model: type[models.Model], row: dict[str, Any]) -> dict[str, Any]:
    json_columns = [
        f.attname for f in model._meta.concrete_fields if isinstance(f, models.JSONField)
    ]
    for column in json_columns:
        if column in row:
            row[column] = _without_wall_clock(row[column])
    for label, column in TEXT_WITH_DATES:
        if label == model._meta.label and column in row:
            row[column] = _without_dates(row[column])
    return row


def _without_dates(value: Any) -> Any:
    if isinstance(value, str):
        return DATE_IN_TEXT.sub("<date>", value)
    if isinstance(value, dict):
        return {k: _without_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_dates(v) for v in value]
    return value


def _without_wall_clock(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _without_wall_clock(v) for k, v in value.items() if k not in EXCLUDED_PAYLOAD_KEYS
        }
    if isinstance(value, list):
        return [_without_wall_clock(v) for v in value]
    return value


def _everything_stored() -> dict[str, list[dict[str, Any]]]:
    """Every row of every Polyvox table (many-to-many links included), by primary key, without
    date-time columns (WALL_CLOCK) and the fields excluded above."""
    ours = {c.label for c in apps.get_app_configs() if c.name.startswith("polyvox.")}
    stored: dict[str, list[dict[str, Any]]] = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in ours:
            continue
        label = model._meta.label
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if not isinstance(f, models.DateTimeField | models.DateField)
            and (label, f.name) not in EXCLUDED_FIELDS
        ]
        rows = [_row(model, dict(r)) for r in model._default_manager.order_by("pk").values(*fields)]
        if label in UNORDERED:
            rows = sorted(({k: v for k, v in r.items() if k != "id"} for r in rows), key=repr)
        stored[label] = rows
    return stored


def _seed_from_empty(seed: int) -> dict[str, list[dict[str, Any]]]:
    # flush empties every table and resets the id sequences (SQLite and PostgreSQL alike), so
    # both seedings start from the same state and get the same primary keys.
    call_command("flush", interactive=False, verbosity=0)
    call_command("seed_demo", seed=seed, verbosity=0)
    return _everything_stored()


@pytest.mark.django_db(transaction=True)
def test_seeding_the_demo_twice_stores_the_same_data():
    first = _seed_from_empty(seed=0)
    second = _seed_from_empty(seed=0)

    assert [label for label in first if first[label] != second[label]] == []
    # What a visitor counts in the seed-0 demo (12 personas, 24 letter writers, 70 delegates;
    # four processes, the third with three comments), and one opinion map however many refreshes
    # the 713 votes queued (the tasks run at once here).
    headline = ["participants.User", "processes.Process", "contributions.Contribution"]
    headline += ["contributions.Disposition", "statements.Statement", "statements.Vote"]
    headline += ["statements.OpinionMapSnapshot", "campaigns.CampaignMembership"]
    assert [len(first[label]) for label in headline] == [106, 4, 43, 11, 12, 713, 1, 24]
