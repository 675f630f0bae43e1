"""Inputs on behalf of an organisation, as people see them: the "Post as" choice on the forms,
the byline linking the organisation's page everywhere an input is shown, the downloads, the API,
the organisation page's list, and the public list filtered by organisation."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from polyvox.contributions.models import Contribution
from polyvox.contributions.selectors.on_behalf import ORGANISATION_PAGE_INPUTS
from polyvox.contributions.services.moderation import hide_contribution
from polyvox.organisations.models import Representative, RepresentativeStatus
from tests.factories import (
    UserFactory,
    approve_representative,
    make_organisation,
    submit_comment,
)
from tests.factories import contribution_url as url


def _organisation_link(organisation) -> str:
    return f'href="/organisations/{organisation.slug}/"'


# The forms ---------------------------------------------------------------------------------------


def test_a_representative_chooses_to_post_as_themselves_or_as_each_organisation_they_represent(
    client, open_phase, participant, section, rhizomatica
):
    approve_representative(make_organisation("Tunapanda", country="KE"), participant)
    make_organisation("Someone Else's")
    client.force_login(participant)

    content = client.get(url("comment", open_phase.process, section_id=section.pk)).content.decode()

    assert "<legend>Post as" in content
    assert 'value="" id="id_on_behalf_of_0" checked' in content  # themselves, unless chosen
    assert ">Myself</label>" in content
    assert ">Rhizomatica</label>" in content
    assert ">Tunapanda</label>" in content
    assert "Someone Else" not in content


def test_posting_as_the_organisation_from_the_form_shows_it_on_the_receipt(
    client, open_phase, participant, section, rhizomatica
):
    client.force_login(participant)

    response = client.post(
        url("comment", open_phase.process, section_id=section.pk),
        {"body": "Spectrum for community networks.", "on_behalf_of": rhizomatica.pk},
        follow=True,
    )

    contribution = Contribution.objects.get()
    assert (contribution.on_behalf_of, contribution.organisation) == (rhizomatica, "Rhizomatica")
    assert response.status_code == 200


def test_posting_as_oneself_from_the_form_speaks_for_no_one(
    client, open_phase, participant, section, rhizomatica
):
    client.force_login(participant)

    client.post(
        url("comment", open_phase.process, section_id=section.pk),
        {"body": "My own view.", "on_behalf_of": ""},
    )

    assert Contribution.objects.get().on_behalf_of is None


def test_someone_who_represents_no_organisation_is_told_how_to_ask(
    client, open_phase, other_participant, section, rhizomatica
):
    client.force_login(other_participant)

    content = client.get(url("comment", open_phase.process, section_id=section.pk)).content.decode()

    assert "Post as" not in content
    assert 'href="/organisations/"' in content
    assert "To speak for an organisation, ask to represent it." in content


@pytest.mark.parametrize("representing", [False, True])
def test_a_forged_choice_of_an_organisation_one_does_not_represent_is_refused_on_the_form(
    client, open_phase, other_participant, section, rhizomatica, representing
):
    if representing:  # they represent another one, so the choice is shown, without this one
        approve_representative(make_organisation("Tunapanda"), other_participant)
    client.force_login(other_participant)

    response = client.post(
        url("comment", open_phase.process, section_id=section.pk),
        {"body": "Speaking for them.", "on_behalf_of": rhizomatica.pk},
    )

    assert response.status_code == 200
    assert "Post as yourself or as an organisation you represent." in response.content.decode()
    assert Contribution.objects.count() == 0


def test_a_representative_revoked_after_opening_the_form_is_refused_when_sending(
    client, open_phase, other_participant, section, rhizomatica
):
    standing = approve_representative(rhizomatica, other_participant)
    client.force_login(other_participant)
    client.get(url("comment", open_phase.process, section_id=section.pk))
    Representative.objects.filter(pk=standing.pk).update(status=RepresentativeStatus.REVOKED)

    response = client.post(
        url("comment", open_phase.process, section_id=section.pk),
        {"body": "Still speaking for them.", "on_behalf_of": rhizomatica.pk},
    )

    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert Contribution.objects.count() == 0


def test_the_general_comment_reply_and_submission_forms_offer_the_choice_too(
    client, open_phase, participant, other_participant, section, rhizomatica
):
    parent = submit_comment(other_participant, section)
    client.force_login(participant)
    process = open_phase.process

    pages = [
        url("create", process, kind="general"),
        url("reply", process, tracking_number=parent.tracking_number),
        parent.get_absolute_url(),  # the reply form under the input
        reverse("campaigns:submit", kwargs={"slug": process.slug}),
    ]

    for page in pages:
        assert ">Rhizomatica</label>" in client.get(page).content.decode(), page


def test_a_reply_from_the_detail_page_can_speak_for_the_organisation(
    client, open_phase, participant, other_participant, section, rhizomatica
):
    parent = submit_comment(other_participant, section)
    client.force_login(participant)

    client.post(
        url("reply", open_phase.process, tracking_number=parent.tracking_number),
        {"body": "We agree.", "on_behalf_of": rhizomatica.pk},
    )

    assert Contribution.objects.get(parent=parent).on_behalf_of == rhizomatica


def test_a_submission_from_the_web_form_can_speak_for_the_organisation(
    client, process, open_phase, participant, rhizomatica
):
    client.force_login(participant)

    client.post(
        reverse("campaigns:submit", kwargs={"slug": process.slug}),
        {"title": "Position", "body": "Our position paper.", "on_behalf_of": rhizomatica.pk},
    )

    assert Contribution.objects.get().on_behalf_of == rhizomatica


def test_the_edit_form_never_asks_whom_the_input_speaks_for(
    client, open_phase, participant, section, rhizomatica
):
    contribution = submit_comment(participant, section, on_behalf_of=rhizomatica)
    client.force_login(participant)
    edit = url("edit", open_phase.process, tracking_number=contribution.tracking_number)

    content = client.get(edit).content.decode()
    client.post(edit, {"body": "Edited.", "on_behalf_of": ""})

    assert "Post as" not in content
    contribution.refresh_from_db()
    assert (contribution.body, contribution.on_behalf_of) == ("Edited.", rhizomatica)


# Bylines -----------------------------------------------------------------------------------------


@pytest.fixture
def on_behalf(open_phase, participant, section, rhizomatica):
    """Amina's comment on behalf of Rhizomatica, and Kenji's, whose profile names an affiliation
    he does not speak for."""
    kenji = UserFactory(username="kenji", profile={"organisation": "Private Affiliation Ltd"})
    return (
        submit_comment(participant, section, body="For Rhizomatica.", on_behalf_of=rhizomatica),
        submit_comment(kenji, section, body="For myself."),
    )


def test_the_detail_page_and_the_thread_name_and_link_the_organisation(
    client, on_behalf, rhizomatica
):
    mine, _theirs = on_behalf

    content = client.get(mine.get_absolute_url()).content.decode()

    assert "on behalf of" in content
    assert f"{_organisation_link(rhizomatica)}>Rhizomatica</a>" in content


def test_the_public_list_shows_the_organisation_and_never_a_mere_affiliation(
    client, on_behalf, rhizomatica
):
    content = client.get(url("list", on_behalf[0].process)).content.decode()

    assert f"{_organisation_link(rhizomatica)}>Rhizomatica</a>" in content
    assert content.count("on behalf of") == 1
    assert "Private Affiliation" not in content


def test_the_version_page_threads_show_the_organisation(client, on_behalf, section, rhizomatica):
    content = client.get(section.version.get_absolute_url()).content.decode()

    assert f"{_organisation_link(rhizomatica)}>Rhizomatica</a>" in content
    assert "Private Affiliation" not in content


def test_the_feedback_report_shows_and_links_the_organisation(
    client, on_behalf, section, rhizomatica
):
    process = on_behalf[0].process
    report = reverse(
        "contributions:feedback_report",
        kwargs={"slug": process.slug, "draft": "principles", "number": 1},
    )

    content = client.get(report).content.decode()

    assert f"{_organisation_link(rhizomatica)}>Rhizomatica</a>" in content
    assert "Private Affiliation" not in content


def test_the_feedback_report_downloads_carry_the_organisation_slug(client, on_behalf):
    process = on_behalf[0].process
    kwargs = {"slug": process.slug, "draft": "principles", "number": 1}

    rows = list(
        csv.DictReader(
            io.StringIO(b"".join(client.get(reverse("contributions:feedback_report_csv",
                                                     kwargs=kwargs)).streaming_content).decode())
        )
    )  # fmt: skip
    data = json.loads(
        b"".join(
            client.get(
                reverse("contributions:feedback_report_json", kwargs=kwargs)
            ).streaming_content
        )
    )

    assert [(r["organisation"], r["organisation_slug"]) for r in rows] == [
        ("Rhizomatica", "rhizomatica"),
        ("", ""),
    ]
    assert [(i["organisation"], i["organisation_slug"]) for i in data["inputs"]] == [
        ("Rhizomatica", "rhizomatica"),
        ("", None),
    ]


def test_the_workbench_links_the_organisation_an_input_speaks_for(
    client, on_behalf, secretariat, rhizomatica
):
    client.force_login(secretariat)

    content = client.get(url("workbench", on_behalf[0].process)).content.decode()

    assert f"{_organisation_link(rhizomatica)}>Rhizomatica</a>" in content
    # The secretariat filters by the byline's text, as before.
    filtered = client.get(url("workbench", on_behalf[0].process), {"organisation": "rhizom"})
    assert on_behalf[0].tracking_number in filtered.content.decode()
    assert on_behalf[1].tracking_number not in filtered.content.decode()


def test_the_public_downloads_have_an_organisation_slug_column(client, on_behalf):
    process = on_behalf[0].process

    rows = list(csv.DictReader(io.StringIO(b"".join(
        client.get(url("list_csv", process)).streaming_content).decode())))  # fmt: skip
    data = json.loads(b"".join(client.get(url("list_json", process)).streaming_content))

    assert [(r["organisation"], r["organisation_slug"]) for r in rows] == [
        ("Rhizomatica", "rhizomatica"),
        ("", ""),
    ]
    assert [(i["organisation"], i["organisation_slug"]) for i in data["contributions"]] == [
        ("Rhizomatica", "rhizomatica"),
        ("", None),
    ]


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_bylines_cost_no_query_per_input(client, open_phase, participant, section, rhizomatica):
    process = open_phase.process
    submit_comment(participant, section, on_behalf_of=rhizomatica)
    few = (_queries(client, url("list", process)), _queries(client, url("list_json", process)))

    others = [make_organisation(f"Organisation {n}", admin=participant) for n in range(8)]
    for organisation in others:
        submit_comment(participant, section, on_behalf_of=organisation)

    assert (
        _queries(client, url("list", process)),
        _queries(client, url("list_json", process)),
    ) == few


# The public list, filtered by organisation -------------------------------------------------------


def test_the_public_list_filtered_by_organisation_keeps_its_inputs_only(
    client, on_behalf, rhizomatica
):
    process = on_behalf[0].process

    content = client.get(url("list", process), {"organisation": "rhizomatica"}).content.decode()
    unknown = client.get(url("list", process), {"organisation": "nobody-at-all"})

    assert on_behalf[0].tracking_number in content
    assert on_behalf[1].tracking_number not in content
    assert "Showing the inputs made on behalf of" in content
    assert unknown.status_code == 200
    assert on_behalf[0].tracking_number not in unknown.content.decode()


def test_the_filtered_list_keeps_inputs_of_a_duplicate_merged_into_the_organisation(
    client, open_phase, participant, section
):
    survivor = make_organisation("Rhizomatica", admin=participant)
    duplicate = make_organisation("Rhizomática", slug="rhizomatica-2", admin=participant)
    earlier = submit_comment(participant, section, on_behalf_of=duplicate)
    duplicate.merged_into, duplicate.merged_at = survivor, timezone.now()
    duplicate.save()

    content = client.get(url("list", open_phase.process), {"organisation": survivor.slug})

    assert earlier.tracking_number in content.content.decode()


def test_a_filtered_download_keeps_the_organisation(client, on_behalf):
    process = on_behalf[0].process

    response = client.get(url("list_json", process), {"organisation": "rhizomatica"})
    data = json.loads(b"".join(response.streaming_content))

    assert [i["tracking_number"] for i in data["contributions"]] == [on_behalf[0].tracking_number]
    assert data["filters"]["organisation"] == "rhizomatica"


# The API -----------------------------------------------------------------------------------------


def _post(client, process, **data):
    return client.post(
        f"/api/v1/processes/{process.slug}/contributions",
        {"kind": "general", "text": "Via the API.", **data},
        content_type="application/json",
    )


def test_the_api_posts_on_behalf_of_an_organisation_by_its_slug(
    client, open_phase, participant, version, rhizomatica
):
    client.force_login(participant)

    response = _post(client, open_phase.process, on_behalf_of="rhizomatica")

    assert response.status_code == 201
    body = response.json()
    assert (body["organisation"], body["organisation_slug"]) == ("Rhizomatica", "rhizomatica")
    assert Contribution.objects.get().on_behalf_of == rhizomatica


def test_the_api_without_an_organisation_posts_as_oneself(
    client, open_phase, participant, version, rhizomatica
):
    client.force_login(participant)

    body = _post(client, open_phase.process).json()

    assert (body["organisation"], body["organisation_slug"]) == ("", None)


@pytest.mark.parametrize("slug", ["nobody-at-all", "x" * 500, "nul\x00slug", "Rhizomatica!"])
def test_an_unknown_organisation_slug_is_a_400_with_a_clear_message(
    client, open_phase, participant, version, rhizomatica, slug
):
    client.force_login(participant)

    response = _post(client, open_phase.process, on_behalf_of=slug)

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["on_behalf_of"]
    expected = "The text contains U+0000" if "\x00" in slug else "No organisation has the slug"
    assert response.json()["fields"]["on_behalf_of"][0].startswith(expected)
    assert Contribution.objects.count() == 0


def test_the_api_refuses_an_organisation_one_does_not_represent(
    client, open_phase, other_participant, version, rhizomatica
):
    client.force_login(other_participant)

    response = _post(client, open_phase.process, on_behalf_of="rhizomatica")

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "on_behalf_of": ["You are not an approved representative of Rhizomatica."]
    }
    assert Contribution.objects.count() == 0


def test_the_api_refuses_a_merged_organisation(
    client, open_phase, participant, version, rhizomatica
):
    rhizomatica.merged_into = make_organisation("Rhizomatica A.C.", slug="rhizomatica-ac")
    rhizomatica.merged_at = timezone.now()
    rhizomatica.save()
    client.force_login(participant)

    response = _post(client, open_phase.process, on_behalf_of="rhizomatica")

    assert response.status_code == 400
    assert "merged" in response.json()["fields"]["on_behalf_of"][0]
    assert Contribution.objects.count() == 0


def test_the_api_list_shows_the_organisation_and_filters_by_it(client, on_behalf):
    process = on_behalf[0].process

    listed = client.get(f"/api/v1/processes/{process.slug}/contributions").json()
    filtered = client.get(
        f"/api/v1/processes/{process.slug}/contributions", {"organisation": "rhizomatica"}
    ).json()

    assert [(c["organisation"], c["organisation_slug"]) for c in listed] == [
        ("Rhizomatica", "rhizomatica"),
        ("", None),
    ]
    assert [c["tracking_number"] for c in filtered] == [on_behalf[0].tracking_number]


def test_a_submission_through_the_api_speaks_for_the_organisation(
    client, process, open_phase, participant, rhizomatica
):
    client.force_login(participant)

    response = client.post(
        f"/api/v1/processes/{process.slug}/submissions",
        {"text": "Our paper.", "on_behalf_of": "rhizomatica"},
        content_type="application/json",
    )
    refused = client.post(
        f"/api/v1/processes/{process.slug}/submissions",
        {"text": "Another paper.", "on_behalf_of": "unknown-org"},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert (response.json()["organisation"], response.json()["organisation_slug"]) == (
        "Rhizomatica",
        "rhizomatica",
    )
    assert refused.status_code == 400
    assert list(refused.json()["fields"]) == ["on_behalf_of"]
    assert Contribution.objects.count() == 1


# The organisation's page -------------------------------------------------------------------------


def test_the_organisation_page_lists_its_public_inputs_with_their_process_and_count(
    client, on_behalf, secretariat, rhizomatica, participant, section
):
    hidden = submit_comment(participant, section, body="Hidden.", on_behalf_of=rhizomatica)
    hide_contribution(
        actor=secretariat, contribution=hidden, reason_code="off_topic", reason="Off topic."
    )
    process = on_behalf[0].process

    content = client.get(rhizomatica.get_absolute_url()).content.decode()

    assert "Public inputs on its behalf" in content
    assert f'href="{on_behalf[0].get_absolute_url()}">{on_behalf[0].tracking_number}</a>' in content
    assert hidden.tracking_number not in content
    assert on_behalf[1].tracking_number not in content
    assert "1 public input was made on its behalf." in content
    assert f'href="/p/{process.slug}/contributions/?organisation=rhizomatica"' in content
    assert process.title in content


def test_the_organisation_page_shows_the_latest_inputs_and_the_total(
    client, open_phase, participant, section, rhizomatica
):
    made = [
        submit_comment(participant, section, body=f"Point {n}.", on_behalf_of=rhizomatica)
        for n in range(ORGANISATION_PAGE_INPUTS + 2)
    ]

    content = client.get(rhizomatica.get_absolute_url()).content.decode()

    assert f"{len(made)} public inputs were made on its behalf." in content
    assert made[-1].tracking_number in content
    assert f">{made[0].tracking_number}<" not in content
    assert f"({len(made)})" in content


def test_an_organisation_without_inputs_says_so(client, db, rhizomatica):
    content = client.get(rhizomatica.get_absolute_url()).content.decode()

    assert "No public input has been made on its behalf yet." in content
