"""The API's contract is committed: a change to it shows up in review as a diff of openapi.json.

Regenerate after an intended change:
    .venv/bin/python -m tests.invariants.test_openapi
"""

import json
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("openapi.json")


def current_schema() -> str:
    from polyvox.config.api import api

    return json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_the_generated_openapi_schema_matches_the_committed_snapshot(db):
    assert current_schema() == SNAPSHOT.read_text(encoding="utf-8"), (
        "The API changed. If intended, regenerate: .venv/bin/python -m tests.invariants.test_openapi"
    )


def test_the_schema_is_served_at_the_documented_address(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Polyvox API"


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polyvox.config.settings_test")
    django.setup()
    SNAPSHOT.write_text(current_schema(), encoding="utf-8")
    print(f"wrote {SNAPSHOT}")  # noqa: T201
