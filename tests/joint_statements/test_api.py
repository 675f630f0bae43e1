"""Joint statements API: public lists with linked statements side by side, signatories a page at
a time with counts, and the signed-in writes with the one error shape."""

import json

import pytest
from django.utils import timezone

from polyvox.joint_statements.models import JointStatement, Relation, Signature, StatementStatus
from polyvox.joint_statements.services.drafting import publish_linked_statement
from polyvox.joint_statements.services.signing import sign, withdraw_signature
from polyvox.processes.models import Membership, Role
from polyvox.record.models import RecordEntry
from tests.factories import ProcessFactory, UserFactory
from tests.joint_statements.conftest import close_sign_on, in_days, open_statement

pytestmark = pytest.mark.django_db


def base(process):
    return f"/api/v1/processes/{process.slug}/joint-statements"


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def dissent_by(actor, statement, **kwargs):
    return publish_linked_statement(
        actor=actor,
        responds_to=statement,
        relation=Relation.DISSENT,
        title="Why we do not sign",
        body="Safeguards first.",
        **kwargs,
    )


def test_the_list_shows_each_statement_with_its_linked_statements(
    client, representative, organisation, other_participant, process, draft, statement
):
    sign(actor=other_participant, statement=statement)
    dissent = dissent_by(representative, statement, organisation=organisation)

    response = client.get(base(process))

    assert response.status_code == 200
    assert response["X-Total-Count"] == "2"
    first, second = response.json()
    assert first == {
        "id": statement.pk,
        "title": "Keep the internet open",
        "relation": "joint",
        "status": "published",
        "author_name": "Amina",
        "organisation": None,
        "caucus": None,
        "published_at": first["published_at"],
        "sign_on_deadline": first["sign_on_deadline"],
        "signing_open": True,
        "signature_count": 1,
        "linked_statements": [
            {
                "id": dissent.pk,
                "relation": "dissent",
                "title": "Why we do not sign",
                "author_name": "Rosa",
                "organisation": {"name": "Rhizomatica", "slug": "rhizomatica"},
            }
        ],
        "url": statement.get_absolute_url(),
    }
    assert (second["id"], second["status"], second["signing_open"]) == (draft.pk, "draft", False)


def test_the_list_is_paginated_with_a_next_link(client, participant, process):
    for i in range(3):
        open_statement(participant, process, title=f"Statement {i}")

    response = client.get(base(process), {"page_size": 2})

    assert [s["title"] for s in response.json()] == ["Statement 2", "Statement 1"]
    assert response["X-Total-Count"] == "3"
    assert "cursor=" in response["Link"]
    assert 'rel="next"' in response["Link"]
    assert [s["title"] for s in client.get(base(process), {"page_size": 2, "page": 2}).json()] == [
        "Statement 0"
    ]


def test_the_detail_has_the_text_counts_and_the_statement_it_answers(
    client, participant, representative, organisation, other_participant, process, statement
):
    sign(actor=representative, statement=statement, organisation=organisation)
    sign(actor=other_participant, statement=statement)
    dissent = dissent_by(representative, statement)

    body = client.get(f"{base(process)}/{statement.pk}").json()

    assert body["body"] == "We, the undersigned, call for an open and interoperable internet."
    assert body["responds_to"] is None
    assert body["revisions"] == 1
    assert body["counts"] == {
        "total": 2,
        "organisations": 1,
        "individuals": 1,
        "withdrawn": 0,
        "by_stakeholder_group": [
            {"key": "civil_society", "label": "Civil society", "count": 1},
            {"key": "private_sector", "label": "Private sector", "count": 1},
        ],
        "by_region": [
            {"key": "Americas", "label": "Americas", "count": 1},
            {"key": "Asia", "label": "Asia", "count": 1},
        ],
    }
    assert [s["id"] for s in body["linked_statements"]] == [dissent.pk]
    answer = client.get(f"{base(process)}/{dissent.pk}").json()
    assert answer["responds_to"] == {"id": statement.pk, "title": "Keep the internet open"}


def test_a_statement_of_another_process_is_a_404(client, statement):
    other = ProcessFactory()

    response = client.get(f"{base(other)}/{statement.pk}")

    assert response.status_code == 404
    assert response.json() == {"error": "No such joint statement in this process."}


def test_signatories_are_a_page_of_active_signatures_with_the_withdrawn_count(
    client, participant, representative, organisation, other_participant, process, statement
):
    gone = sign(actor=other_participant, statement=statement)
    withdraw_signature(actor=other_participant, signature=gone, reason="Our board said no")
    signed = sign(actor=representative, statement=statement, organisation=organisation)
    sign(actor=participant, statement=statement)

    response = client.get(f"{base(process)}/{statement.pk}/signatories", {"page_size": 1})

    assert response["X-Total-Count"] == "2"
    assert response.json() == {
        "total": 2,
        "withdrawn": 1,
        "signatories": [
            {
                "id": signed.pk,
                "name": "Rosa",
                "organisation": {"name": "Rhizomatica", "slug": "rhizomatica"},
                "stakeholder_group": "civil_society",
                "country": "MX",
                "region": "Americas",
                "signed_at": response.json()["signatories"][0]["signed_at"],
            }
        ],
    }
    history = client.get(f"{base(process)}/{statement.pk}/signatories/withdrawn").json()
    assert [(s["id"], s["name"], s["reason"]) for s in history] == [
        (gone.pk, "Kenji", "Our board said no")
    ]
    assert history[0]["withdrawn_at"] is not None


def test_no_account_or_private_profile_field_reaches_the_api(
    client, participant, other_participant, process, statement
):
    other_participant.profile.gender = "SENTINEL-GENDER"
    other_participant.profile.save()
    sign(actor=other_participant, statement=statement)

    texts = [
        client.get(url).content.decode()
        for url in (
            base(process),
            f"{base(process)}/{statement.pk}",
            f"{base(process)}/{statement.pk}/signatories",
        )
    ]

    for text in texts:
        assert "SENTINEL-GENDER" not in text
        assert other_participant.email not in text
        assert other_participant.username not in text


# Writes ----------------------------------------------------------------------------------------


def test_a_participant_drafts_and_opens_a_statement_through_the_api(client, participant, process):
    client.force_login(participant)

    created = post(client, base(process), {"title": "Open internet", "body": "We call for it."})
    statement_id = created.json()["id"]
    deadline = in_days(10).isoformat()
    opened = post(client, f"{base(process)}/{statement_id}/sign-on", {"sign_on_deadline": deadline})

    assert created.status_code == 201
    assert created.json()["status"] == "draft"
    assert opened.status_code == 200
    assert (opened.json()["status"], opened.json()["signing_open"]) == ("published", True)


def test_writes_need_a_signed_in_participant(client, process, statement):
    response = post(client, f"{base(process)}/{statement.pk}/signatures", {"organisation": None})

    assert response.status_code == 401
    assert Signature.objects.count() == 0


def test_an_empty_draft_is_a_400_with_the_fields(client, participant, process):
    client.force_login(participant)

    response = post(client, base(process), {"title": " ", "body": ""})

    assert response.status_code == 400
    assert response.json() == {
        "error": "Invalid input.",
        "fields": {
            "title": ["Give the statement a title."],
            "body": ["Write the text of the statement."],
        },
    }
    assert JointStatement.objects.count() == 0


def test_a_malformed_body_is_a_422(client, participant, process):
    client.force_login(participant)

    response = post(client, base(process), {"title": "No body"})

    assert response.status_code == 422
    assert response.json()["error"] == "Invalid input."


def test_a_representative_signs_for_their_organisation_then_withdraws(
    client, representative, organisation, process, statement
):
    client.force_login(representative)

    signed = post(
        client, f"{base(process)}/{statement.pk}/signatures", {"organisation": "rhizomatica"}
    )
    signature_id = signed.json()["id"]
    withdrawn = post(
        client,
        f"{base(process)}/{statement.pk}/signatures/{signature_id}/withdraw",
        {"reason": "Mandate changed"},
    )

    assert signed.status_code == 201
    assert (signed.json()["organisation"], signed.json()["withdrawn_at"]) == (
        {"name": "Rhizomatica", "slug": "rhizomatica"},
        None,
    )
    assert withdrawn.status_code == 200
    assert withdrawn.json()["reason"] == "Mandate changed"
    assert withdrawn.json()["withdrawn_at"] is not None
    assert list(RecordEntry.objects.order_by("id").values_list("kind", flat=True))[-2:] == [
        "joint_statement_signed",
        "joint_statement_signature_withdrawn",
    ]


def test_signing_for_an_organisation_one_does_not_represent_is_a_403(
    client, other_participant, organisation, process, statement
):
    client.force_login(other_participant)

    response = post(
        client, f"{base(process)}/{statement.pk}/signatures", {"organisation": "rhizomatica"}
    )

    assert response.status_code == 403
    assert response.json() == {"error": "You are not an approved representative of Rhizomatica."}
    assert Signature.objects.count() == 0


def test_signing_for_an_unknown_organisation_is_a_400(
    client, other_participant, process, statement
):
    client.force_login(other_participant)

    response = post(
        client, f"{base(process)}/{statement.pk}/signatures", {"organisation": "nobody"}
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {"organisation": ["No organisation has the slug “nobody”."]}


def test_signing_twice_or_after_the_deadline_is_a_400_with_the_reason(
    client, other_participant, process, statement
):
    client.force_login(other_participant)
    url = f"{base(process)}/{statement.pk}/signatures"
    post(client, url, {})

    twice = post(client, url, {})
    close_sign_on(statement)
    late = post(client, url, {})

    assert twice.status_code == 400
    assert twice.json()["fields"] == {"organisation": ["You have already signed this statement."]}
    assert late.status_code == 400
    assert late.json()["fields"]["statement"][0].startswith("Sign-on closed on ")
    assert Signature.objects.count() == 1


def test_withdrawing_someone_elses_signature_is_a_403_and_an_unknown_one_a_404(
    client, participant, other_participant, process, statement
):
    signature = sign(actor=other_participant, statement=statement)
    client.force_login(participant)

    theirs = post(client, f"{base(process)}/{statement.pk}/signatures/{signature.pk}/withdraw", {})
    unknown = post(client, f"{base(process)}/{statement.pk}/signatures/999999/withdraw", {})

    assert theirs.status_code == 403
    assert unknown.status_code == 404
    signature.refresh_from_db()
    assert signature.withdrawn_at is None


def test_another_organisation_publishes_a_linked_dissent(
    client, representative, organisation, participant, process, statement
):
    client.force_login(representative)

    response = post(
        client,
        f"{base(process)}/{statement.pk}/linked-statements",
        {
            "relation": "dissent",
            "title": "Why we do not sign",
            "body": "Safeguards first.",
            "organisation": "rhizomatica",
            "sign_on_deadline": in_days(5).isoformat(),
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["relation"], body["status"], body["signing_open"]) == (
        "dissent",
        "published",
        True,
    )
    assert body["responds_to"] == {"id": statement.pk, "title": "Keep the internet open"}
    listed = client.get(base(process)).json()
    assert [s["id"] for s in listed[0]["linked_statements"]] == [body["id"]]


def test_a_linked_statement_answering_a_draft_or_another_linked_one_is_a_400(
    client, participant, other_participant, process, draft, statement
):
    dissent = dissent_by(other_participant, statement)
    client.force_login(participant)
    data = {"relation": "supplement", "title": "More", "body": "More."}

    on_draft = post(client, f"{base(process)}/{draft.pk}/linked-statements", data)
    on_dissent = post(client, f"{base(process)}/{dissent.pk}/linked-statements", data)
    bad_relation = post(
        client, f"{base(process)}/{statement.pk}/linked-statements", {**data, "relation": "joint"}
    )

    assert (on_draft.status_code, on_dissent.status_code, bad_relation.status_code) == (
        400,
        400,
        422,
    )
    assert "responds_to" in on_draft.json()["fields"]
    assert "responds_to" in on_dissent.json()["fields"]
    assert JointStatement.objects.count() == 3


def test_a_deadline_in_the_past_is_a_400(client, participant, process, draft):
    client.force_login(participant)

    response = post(
        client,
        f"{base(process)}/{draft.pk}/sign-on",
        {"sign_on_deadline": timezone.now().replace(year=2020).isoformat()},
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {"deadline": ["Choose a sign-on deadline in the future."]}
    draft.refresh_from_db()
    assert draft.status == StatementStatus.DRAFT


def test_an_observer_cannot_sign_through_the_api(client, process, statement):
    observer = UserFactory(username="olga")
    Membership.objects.create(process=process, user=observer, role=Role.OBSERVER)
    client.force_login(observer)

    response = post(client, f"{base(process)}/{statement.pk}/signatures", {})

    assert response.status_code == 403
    assert response.json() == {"error": "You cannot take part in this process."}
