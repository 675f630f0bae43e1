"""Participation targets: the secretariat sets, changes and removes them; each change is public on
the process's record; nobody else may; bad values are refused and change nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from polyvox.indicators.services import remove_participation_target, set_participation_target
from polyvox.processes.models import ParticipationTarget
from polyvox.record.models import RecordEntry

pytestmark = pytest.mark.django_db


def _entries(process, kind):
    return list(
        RecordEntry.objects.filter(process=process, kind=kind).values_list("payload", flat=True)
    )


def test_the_secretariat_sets_a_target_and_the_record_says_so(process, secretariat):
    target = set_participation_target(
        actor=secretariat,
        process=process,
        dimension="stakeholder_group",
        value="government",
        min_share="0.2",
    )

    assert (target.dimension, target.value, target.min_share) == (
        "stakeholder_group",
        "government",
        Decimal("0.200"),
    )
    assert _entries(process, "target.set") == [
        {
            "target": target.pk,
            "dimension": "stakeholder_group",
            "value": "government",
            "min_share": "0.200",
        }
    ]


def test_setting_a_target_again_changes_its_share(process, secretariat):
    for share in ("0.2", "0.3", "0.3"):
        set_participation_target(
            actor=secretariat, process=process, dimension="region", value="Africa", min_share=share
        )

    assert list(ParticipationTarget.objects.values_list("value", "min_share")) == [
        ("Africa", Decimal("0.300"))
    ]
    assert [e["min_share"] for e in _entries(process, "target.set")] == ["0.200", "0.300"]


def test_a_gender_target_counts_the_gender_as_the_indicators_do(process, secretariat):
    target = set_participation_target(
        actor=secretariat, process=process, dimension="gender", value="  Woman ", min_share="0.4"
    )

    assert target.value == "woman"


def test_a_global_south_target_has_one_value(process, secretariat):
    target = set_participation_target(
        actor=secretariat, process=process, dimension="global_south", value="", min_share="0.5"
    )

    assert target.value == "global_south"


def test_only_the_secretariat_may_set_a_target(process, participant):
    with pytest.raises(PermissionDenied):
        set_participation_target(
            actor=participant,
            process=process,
            dimension="stakeholder_group",
            value="government",
            min_share="0.2",
        )

    assert not ParticipationTarget.objects.exists()
    assert _entries(process, "target.set") == []


@pytest.mark.parametrize(
    ("dimension", "value", "share", "field"),
    [
        ("age", "young", "0.2", "dimension"),
        ("stakeholder_group", "lobbyists", "0.2", "value"),
        ("region", "Atlantis", "0.2", "value"),
        ("gender", "   ", "0.2", "value"),
        ("gender", "x" * 41, "0.2", "value"),
        ("gender", "wo\x00man", "0.2", "value"),
        ("gender", "wo\u202eman", "0.2", "value"),
        ("stakeholder_group", "government", "0", "min_share"),
        ("stakeholder_group", "government", "1.5", "min_share"),
        ("stakeholder_group", "government", "NaN", "min_share"),
        ("stakeholder_group", "government", "sNaN", "min_share"),
        ("stakeholder_group", "government", "1e999999", "min_share"),
        ("stakeholder_group", "government", "a fifth", "min_share"),
    ],
)
def test_a_bad_target_is_refused_and_nothing_changes(
    process, secretariat, dimension, value, share, field
):
    with pytest.raises(ValidationError) as refused:
        set_participation_target(
            actor=secretariat, process=process, dimension=dimension, value=value, min_share=share
        )

    assert set(refused.value.message_dict) == {field}
    assert not ParticipationTarget.objects.exists()
    assert _entries(process, "target.set") == []


def test_the_targets_of_one_dimension_cannot_add_up_to_more_than_all_inputs(process, secretariat):
    set_participation_target(
        actor=secretariat,
        process=process,
        dimension="stakeholder_group",
        value="government",
        min_share="0.6",
    )

    with pytest.raises(ValidationError) as refused:
        set_participation_target(
            actor=secretariat,
            process=process,
            dimension="stakeholder_group",
            value="civil_society",
            min_share="0.5",
        )

    assert "110.0" in refused.value.message_dict["min_share"][0]
    assert ParticipationTarget.objects.count() == 1


def test_the_secretariat_removes_a_target_and_the_record_keeps_both_events(
    process, secretariat, participant
):
    target = set_participation_target(
        actor=secretariat, process=process, dimension="region", value="Asia", min_share="0.25"
    )
    with pytest.raises(PermissionDenied):
        remove_participation_target(actor=participant, target=target)

    remove_participation_target(actor=secretariat, target=target)

    assert not ParticipationTarget.objects.exists()
    assert [e["value"] for e in _entries(process, "target.removed")] == ["Asia"]
    assert len(_entries(process, "target.set")) == 1
