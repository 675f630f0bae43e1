"""Templates: every built-in one makes a valid process; minimums hold unless a reason is published;
a process saved as a template makes the same design again."""

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from polyvox.processes.models import Phase, Process, ProcessTemplate
from polyvox.processes.process_templates import BUILT_IN_TEMPLATES
from polyvox.processes.selectors import process_template, process_templates
from polyvox.processes.services.templating import (
    PhaseOverride,
    create_process_from_template,
    save_as_template,
)
from polyvox.record.models import RecordEntry
from tests.factories import UserFactory

OPENS = date(2027, 3, 1)


@pytest.fixture
def staff(db: None):
    return UserFactory(username="sofia", is_staff=True)


def icann(staff, **kwargs):
    return create_process_from_template(
        actor=staff,
        template_name="icann-public-comment",
        slug="rpm-review",
        title="RPM review",
        opens=OPENS,
        **kwargs,
    )


@pytest.mark.parametrize("spec", BUILT_IN_TEMPLATES, ids=lambda spec: spec.name)
def test_every_built_in_template_creates_a_process_with_its_phases_back_to_back(staff, spec):
    process = create_process_from_template(
        actor=staff,
        template_name=spec.name,
        slug="from-template",
        title="From a template",
        opens=OPENS,
    )

    phases = list(process.phases.order_by("starts_at"))
    assert [(p.kind, p.title, p.min_days) for p in phases] == [
        (s.kind, str(s.title), s.min_days) for s in spec.phases
    ]
    assert phases[0].starts_at == datetime(2027, 3, 1, tzinfo=UTC)
    for phase, phase_spec in zip(phases, spec.phases, strict=True):
        assert phase.ends_at - phase.starts_at == timedelta(days=phase_spec.default_days)
    for earlier, later in itertools.pairwise(phases):
        assert later.starts_at == earlier.ends_at
    assert process.template_name == spec.name
    assert process.how_it_works == str(spec.how_it_works)
    assert (process.decision_mode, process.identity_policy, process.participation_policy) == (
        spec.decision_mode,
        spec.identity_policy,
        spec.participation_policy,
    )


def test_the_required_templates_carry_their_minimums():
    minimums = {spec.name: [p.min_days for p in spec.phases] for spec in BUILT_IN_TEMPLATES}

    assert minimums["icann-public-comment"] == [40, None]
    assert minimums["us-notice-and-comment"] == [30, None, 30]
    assert minimums["eu-public-consultation"] == [28, 84, 28]
    assert [p.kind for p in BUILT_IN_TEMPLATES[-1].phases] == [
        "principles",
        "draft_comment",
        "decision",
    ]


def test_a_comment_period_below_the_minimum_is_refused_without_a_reason(staff):
    with pytest.raises(ValidationError) as error:
        icann(staff, phase_overrides=[PhaseOverride(days=20)])

    assert "minimum of 40 days" in " ".join(error.value.message_dict["phase_1_days"])
    assert Process.objects.count() == 0
    assert Phase.objects.count() == 0
    assert RecordEntry.objects.count() == 0


def test_a_comment_period_below_the_minimum_is_accepted_with_a_reason_on_the_record(staff):
    reason = "The Board must act before its June meeting."

    process = icann(staff, phase_overrides=[PhaseOverride(days=20, short_schedule_reason=reason)])

    comment = process.phases.get(kind="draft_comment")
    assert comment.ends_at - comment.starts_at == timedelta(days=20)
    assert comment.short_schedule_reason == reason
    report = process.phases.get(kind="decision")
    assert report.starts_at == comment.ends_at
    scheduled = RecordEntry.objects.get(
        process=process, kind="phase.scheduled", payload__phase_id=comment.pk
    )
    assert scheduled.payload["short_schedule_reason"] == reason
    assert scheduled.payload["min_days"] == 40


def test_the_reason_for_a_short_phase_is_published_on_the_process_page(client, staff):
    reason = "The Board must act before its June meeting."
    process = icann(staff, phase_overrides=[PhaseOverride(days=20, short_schedule_reason=reason)])

    page = client.get(reverse("processes:detail", kwargs={"slug": process.slug}))

    assert reason in page.content.decode()
    assert "Shorter than the template's minimum of 40 days" in page.content.decode()


def test_a_longer_period_needs_no_reason(staff):
    process = icann(staff, phase_overrides=[PhaseOverride(days=60)])

    comment = process.phases.get(kind="draft_comment")
    assert comment.ends_at - comment.starts_at == timedelta(days=60)
    assert comment.short_schedule_reason == ""


def test_an_unknown_template_is_refused(staff):
    with pytest.raises(ValidationError) as error:
        create_process_from_template(
            actor=staff, template_name="nope", slug="x", title="X", opens=OPENS
        )

    assert "template_name" in error.value.message_dict
    assert Process.objects.count() == 0


def test_a_participant_cannot_create_a_process_from_a_template(participant):
    with pytest.raises(PermissionDenied):
        icann(participant)

    assert Process.objects.count() == 0


def test_the_template_list_holds_built_in_and_saved_templates(staff):
    process = icann(staff)
    save_as_template(actor=staff, process=process, name="our-comment", title="Our comment")

    names = [spec.name for spec in process_templates()]

    assert names == [spec.name for spec in BUILT_IN_TEMPLATES] + ["our-comment"]


def test_a_process_saved_as_a_template_makes_the_same_design_again(staff):
    reason = "Urgent."
    process = icann(staff, phase_overrides=[PhaseOverride(days=45, short_schedule_reason=reason)])

    saved = save_as_template(actor=staff, process=process, name="rpm-comment", title="RPM comment")

    assert saved.phases == [
        {
            "kind": "draft_comment",
            "title": "Public comment period",
            "min_days": 40,
            "default_days": 45,
        },
        {"kind": "decision", "title": "Staff summary report", "min_days": None, "default_days": 14},
    ]
    again = create_process_from_template(
        actor=staff, template_name="rpm-comment", slug="rpm-2", title="RPM 2", opens=OPENS
    )
    assert [(p.kind, p.title, p.min_days, p.ends_at - p.starts_at) for p in again.phases.all()] == [
        ("draft_comment", "Public comment period", 40, timedelta(days=45)),
        ("decision", "Staff summary report", None, timedelta(days=14)),
    ]
    assert again.how_it_works == process.how_it_works
    assert again.template_name == "rpm-comment"
    assert process_template("rpm-comment") is not None


def test_only_the_secretariat_saves_a_process_as_a_template(staff, participant):
    process = icann(staff)

    with pytest.raises(PermissionDenied):
        save_as_template(actor=participant, process=process, name="mine", title="Mine")

    assert ProcessTemplate.objects.count() == 0


@pytest.mark.parametrize("name", ["icann-public-comment", "Not A Slug", ""])
def test_a_template_name_must_be_new_and_a_short_name(staff, name):
    process = icann(staff)

    with pytest.raises(ValidationError) as error:
        save_as_template(actor=staff, process=process, name=name, title="Title")

    assert "name" in error.value.message_dict
    assert ProcessTemplate.objects.count() == 0


# The pages ----------------------------------------------------------------------------------------

FROM_TEMPLATE = "/p/new/from-template/"


def icann_form(**changes):
    data = {
        "slug": "rpm-review",
        "title": "RPM review",
        "mandate": "",
        "opens": "2027-03-01",
        "phase_1_days": "40",
        "phase_1_reason": "",
        "phase_2_days": "14",
        "phase_2_reason": "",
    }
    return {**data, **changes}


def test_the_template_page_shows_each_phase_with_its_minimum_and_default(client, staff):
    client.force_login(staff)

    page = client.get(FROM_TEMPLATE).content.decode()

    assert reverse("processes:from_template") == FROM_TEMPLATE
    for spec in BUILT_IN_TEMPLATES:
        assert str(spec.title) in page
        assert f"?template={spec.name}" in page
    assert "<td>40</td><td>40</td>" in page  # ICANN comment period: default and minimum


def test_the_processes_list_links_to_templates_for_staff_only(client, staff, participant):
    client.force_login(participant)
    assert FROM_TEMPLATE not in client.get(reverse("processes:list")).content.decode()

    client.force_login(staff)
    assert FROM_TEMPLATE in client.get(reverse("processes:list")).content.decode()


def test_a_participant_cannot_open_the_template_page(client, participant):
    client.force_login(participant)

    assert client.get(FROM_TEMPLATE).status_code == 403
    assert client.post(f"{FROM_TEMPLATE}?template=igf-bpf", icann_form()).status_code == 403
    assert Process.objects.count() == 0


def test_the_form_refuses_a_short_period_without_a_reason_then_accepts_one(client, staff):
    client.force_login(staff)
    url = f"{FROM_TEMPLATE}?template=icann-public-comment"
    assert "Minimum 40 days" in client.get(url).content.decode()

    refused = client.post(url, icann_form(phase_1_days="20"))

    assert refused.status_code == 200
    assert "minimum of 40 days" in refused.content.decode()
    assert Process.objects.count() == 0

    accepted = client.post(url, icann_form(phase_1_days="20", phase_1_reason="Board in June."))

    process = Process.objects.get(slug="rpm-review")
    assert accepted.status_code == 302
    assert accepted["Location"] == process.get_absolute_url()
    assert process.phases.get(kind="draft_comment").short_schedule_reason == "Board in June."


def test_an_unknown_template_is_a_404(client, staff):
    client.force_login(staff)

    assert client.get(f"{FROM_TEMPLATE}?template=nope").status_code == 404


def test_the_secretariat_saves_a_process_as_a_template_from_its_page(client, staff, participant):
    process = icann(staff)
    url = reverse("processes:save_as_template", kwargs={"slug": process.slug})
    client.force_login(participant)
    assert client.post(url, {"name": "mine", "title": "Mine"}).status_code == 403

    client.force_login(staff)
    assert url in client.get(process.get_absolute_url()).content.decode()
    response = client.post(url, {"name": "rpm-comment", "title": "RPM comment"})

    assert response.status_code == 302
    assert ProcessTemplate.objects.get().name == "rpm-comment"
    assert "rpm-comment" in client.get(FROM_TEMPLATE).content.decode()
