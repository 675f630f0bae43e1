"""Workbench pages: the list, bulk actions, notes on the answer page, the review list."""

from polyvox.campaigns.services.detection import detect_campaigns
from polyvox.contributions.models import (
    Assignment,
    Disposition,
    InternalNote,
    ProposedAnswer,
)
from polyvox.processes.models import Membership, Role
from tests.factories import PhaseFactory, UserFactory, send_submission, submit_comment
from tests.factories import contribution_url as url


def test_each_row_shows_excerpt_section_group_organisation_state_and_assignee(
    client, open_phase, participant, secretariat, section
):
    text = "Community networks need licence-exempt spectrum. " * 10
    contribution = submit_comment(participant, section, body=text)
    Assignment.objects.create(
        contribution=contribution, assignee=secretariat, assigned_by=secretariat
    )
    client.force_login(secretariat)

    page = client.get(url("workbench", open_phase.process)).content.decode()

    assert text[:200] + "…" in page
    assert text[:201] not in page
    for shown in (contribution.tracking_number, "§ scope", "Civil society", "Not yet answered"):
        assert shown in page
    assert "<td>sofia</td>" in page


def test_a_campaign_member_shows_its_campaign(client, open_phase, secretariat):
    letter = "We ask the forum to keep licence-exempt spectrum open for community networks."
    members = [
        send_submission(open_phase.process, f"{letter} ({n})", f"voice{n}") for n in range(3)
    ]
    (campaign, *_rest) = detect_campaigns(actor=secretariat, process=open_phase.process)
    client.force_login(secretariat)

    page = client.get(url("workbench", open_phase.process)).content.decode()

    assert f"#{campaign.pk} (3 inputs)" in page
    assert members[0].tracking_number in page


def test_search_and_filters_are_get_parameters(
    client, open_phase, participant, secretariat, section
):
    spectrum = submit_comment(participant, section, body="Keep spectrum open.")
    other = submit_comment(participant, section, body="Fund networks.")
    client.force_login(secretariat)

    response = client.get(url("workbench", open_phase.process), {"q": "spectrum", "sort": "newest"})

    numbers = [r.contribution.tracking_number for r in response.context["rows"]]
    assert numbers == [spectrum.tracking_number]
    assert other.tracking_number not in response.content.decode()


def test_pages_link_to_the_next_one_keeping_the_filters(
    client, open_phase, participant, secretariat, section
):
    for _ in range(51):
        submit_comment(participant, section)
    client.force_login(secretariat)

    page = client.get(url("workbench", open_phase.process), {"kind": "comment"}).content.decode()

    assert "?kind=comment&amp;page=2" in page


def test_bulk_assign_then_my_queue(client, open_phase, participant, secretariat, section):
    first, _second, third = (submit_comment(participant, section) for _ in range(3))
    client.force_login(secretariat)
    back = url("workbench", open_phase.process) + "?kind=comment"

    response = client.post(
        url("workbench_bulk", open_phase.process),
        {"inputs": [first.pk, third.pk], "action": "assign", "assignee": secretariat.pk,
         "next": back},
    )  # fmt: skip
    queue = client.get(url("workbench", open_phase.process), {"assignee": "mine"})

    assert response["Location"] == back
    assert [r.contribution for r in queue.context["rows"]] == [first, third]


def test_bulk_answer_answers_the_selected_inputs(
    client, open_phase, participant, secretariat, section
):
    first, second = submit_comment(participant, section), submit_comment(participant, section)
    client.force_login(secretariat)

    client.post(
        url("workbench_bulk", open_phase.process),
        {"inputs": [first.pk, second.pk], "action": "answer", "outcome": "noted",
         "reason": "Considered for v2."},
    )  # fmt: skip

    assert sorted(Disposition.objects.values_list("contribution_id", "reason")) == [
        (first.pk, "Considered for v2."),
        (second.pk, "Considered for v2."),
    ]


def test_a_bulk_answer_without_reason_shows_the_error_and_changes_nothing(
    client, open_phase, participant, secretariat, section
):
    first = submit_comment(participant, section)
    client.force_login(secretariat)

    response = client.post(
        url("workbench_bulk", open_phase.process),
        {"inputs": [first.pk], "action": "answer", "outcome": "noted", "reason": ""},
        follow=True,
    )

    assert "Give a reason" in response.content.decode()
    assert Disposition.objects.count() == 0


def test_inputs_of_another_process_cannot_be_acted_on(
    client, open_phase, participant, secretariat, section
):
    foreign = submit_comment(participant, section)
    other = UserFactory(username="other-sec")
    elsewhere = PhaseFactory().process
    Membership.objects.create(process=elsewhere, user=other, role=Role.SECRETARIAT)
    client.force_login(other)

    response = client.post(
        url("workbench_bulk", elsewhere),
        {"inputs": [foreign.pk], "action": "assign", "assignee": other.pk},
        follow=True,
    )

    assert "Select at least one input." in response.content.decode()
    assert Assignment.objects.count() == 0


def test_participants_get_403_on_every_workbench_page(client, open_phase, participant, section):
    contribution = submit_comment(participant, section)
    client.force_login(participant)
    process = open_phase.process

    statuses = [
        client.get(url("workbench", process)).status_code,
        client.get(url("workbench_review", process)).status_code,
        client.post(url("workbench_bulk", process),
                    {"inputs": [contribution.pk], "action": "unassign"}).status_code,
        client.post(url("internal_note", process, tracking_number=contribution.tracking_number),
                    {"body": "Hello"}).status_code,
    ]  # fmt: skip

    assert statuses == [403, 403, 403, 403]
    assert InternalNote.objects.count() == 0


def test_internal_notes_show_on_the_answer_page_only(
    client, open_phase, participant, secretariat, section
):
    contribution = submit_comment(participant, section)
    client.force_login(secretariat)
    number = contribution.tracking_number

    client.post(url("internal_note", open_phase.process, tracking_number=number),
                {"body": "Check with legal first."})  # fmt: skip
    answer_page = client.get(url("answer", open_phase.process, tracking_number=number))
    public_page = client.get(url("detail", open_phase.process, tracking_number=number))

    assert "Check with legal first." in answer_page.content.decode()
    assert "Check with legal first." not in public_page.content.decode()


def test_with_review_on_the_answer_page_proposes_and_a_reviewer_approves(
    client, open_phase, participant, secretariat, section
):
    process = open_phase.process
    process.answers_need_review = True
    process.save()
    rapporteur = UserFactory(username="ravi")
    Membership.objects.create(process=process, user=rapporteur, role=Role.RAPPORTEUR)
    contribution = submit_comment(participant, section)
    client.force_login(rapporteur)

    client.post(
        url("answer", process, tracking_number=contribution.tracking_number),
        {"outcome": "noted", "reason": "Considered."},
    )
    proposed = ProposedAnswer.objects.get()
    assert Disposition.objects.count() == 0
    client.force_login(secretariat)
    listing = client.get(url("workbench_review", process)).content.decode()
    client.post(
        url("workbench_review_decide", process, proposal_id=proposed.pk), {"decision": "approve"}
    )

    assert "Considered." in listing
    assert Disposition.objects.get().reason == "Considered."


def test_the_process_page_links_the_workbench_for_everyone_who_may_open_it(client, open_phase):
    process = open_phase.process
    link = url("workbench", process)
    opened: dict[str, bool] = {}
    for role in Role:
        member = UserFactory()
        Membership.objects.create(process=process, user=member, role=role)
        client.force_login(member)

        page = client.get(process.get_absolute_url()).content.decode()
        may_open = client.get(link).status_code == 200

        assert (f'href="{link}"' in page) == may_open, role
        opened[role] = may_open
    assert [role for role, may in opened.items() if may] == [
        Role.SECRETARIAT,
        Role.CHAIR,
        Role.MODERATOR,
        Role.RAPPORTEUR,
    ]
