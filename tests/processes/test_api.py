"""The processes API: list and read, public data."""

from tests.factories import PhaseFactory


def test_the_api_lists_processes(client, process):
    response = client.get("/api/v1/processes")

    assert response.status_code == 200
    assert [p["slug"] for p in response.json()] == [process.slug]


def test_the_api_reads_a_process_with_its_phases(client, process):
    PhaseFactory(process=process, title="Comments on the draft")

    body = client.get(f"/api/v1/processes/{process.slug}").json()

    assert body["title"] == process.title
    assert [(p["title"], p["status"]) for p in body["phases"]] == [
        ("Comments on the draft", "open")
    ]


def test_an_unknown_process_is_a_404_in_the_one_error_shape(client, db):
    response = client.get("/api/v1/processes/nope")

    assert response.status_code == 404
    assert response.json() == {"error": "No such process."}
