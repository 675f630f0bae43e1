"""The public list at scale: campaigns folded by one GROUP BY, both counts from one aggregate, and
pages chosen on ids, with the same rows and figures as folding each page by hand."""

import re

import pytest

from polyvox.campaigns.services.detection import detect_campaigns
from polyvox.contributions.input_groups import fold_input_groups, folded_counts
from polyvox.contributions.models import Contribution
from polyvox.contributions.selectors.public_list import public_inputs
from polyvox.contributions.services.moderation import hide_contribution
from tests.factories import contribution_url as url
from tests.factories import send_submission, submit_to_version

LETTER = "We ask the forum to keep licence-exempt spectrum open for community networks."
OTHER = "Satellite operators must share the spectrum with community networks fairly."


@pytest.fixture
def inputs(process, open_phase, secretariat, participant, version):
    """Two campaigns interleaved with inputs that stand alone; the first letter hidden."""
    sent = []
    for n in range(4):
        letter = f"{LETTER} Zebra crossings near the mast, too." if n == 2 else LETTER
        sent.append(send_submission(process, letter, f"letter{n}"))
        sent.append(send_submission(process, OTHER, f"other{n}"))
        sent.append(submit_to_version(participant, version, f"Spectrum view {n}.", kind="general"))
    sent.append(send_submission(process, "A lone note on roaming charges.", "lone"))
    detect_campaigns(actor=secretariat, process=process)
    hide_contribution(
        actor=secretariat, contribution=sent[0], reason_code="spam", reason="Duplicate account."
    )
    return sent


def _by_hand(process, **filters):
    """The list folded in Python: every matching input, a campaign at its first matching member."""
    rows = list(public_inputs(viewer=None, process=process, **filters))
    seen, kept = set(), []
    for row in rows:
        campaign = getattr(getattr(row, "campaign_membership", None), "campaign_id", None)
        if campaign is None or campaign not in seen:
            kept.append(row.tracking_number)
        if campaign is not None:
            seen.add(campaign)
    return len(rows), kept


FILTERS = [
    {},
    {"kind": "submission"},
    {"query": "spectrum"},
    {"kind": "general"},
    {"query": "x"},
    {"query": "zebra"},  # only the third letter: it stands for its campaign
]


@pytest.mark.django_db
@pytest.mark.parametrize("filters", FILTERS)
def test_folding_keeps_the_first_matching_member_of_each_campaign_and_every_other_input(
    inputs, process, filters
):
    total, expected = _by_hand(process, **filters)
    matching = public_inputs(viewer=None, process=process, **filters)

    folded = list(fold_input_groups(matching).values_list("tracking_number", flat=True))

    assert folded == expected
    assert folded_counts(matching) == (total, len(expected))
    if filters == {"query": "zebra"}:
        assert folded == [inputs[6].tracking_number]
        assert (
            inputs[6].campaign_membership.campaign_id == inputs[3].campaign_membership.campaign_id
        )


@pytest.mark.django_db
def test_the_hidden_first_letter_gives_way_to_the_second_and_each_campaign_is_one_row(
    inputs, process
):
    _hidden, other0, view0, letter1, _o1, view1, _l2, _o2, view2, _l3, _o3, view3, lone = inputs

    _total, expected = _by_hand(process)

    assert expected == [
        n.tracking_number for n in (other0, view0, letter1, view1, view2, view3, lone)
    ]


def _numbers(content):
    return re.findall(r"<strong>(PV[^<]+)</strong>", content)


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{}, {"kind": "submission"}, {"q": "spectrum"}])
def test_each_page_shows_its_slice_of_the_folded_list_and_both_counts(
    client, inputs, process, monkeypatch, params
):
    monkeypatch.setattr("polyvox.contributions.views.public.PAGE_SIZE", 3)
    filters = {"query": params.get("q", ""), "kind": params.get("kind", "")}
    total, expected = _by_hand(process, **filters)

    shown = []
    for number in range(1, 5):
        response = client.get(url("list", process), {**params, "page": number})
        content = response.content.decode()
        shown += _numbers(content) if number <= (len(expected) + 2) // 3 else []

    assert shown == expected
    assert f"{total} inputs" in content
    assert f"Each campaign is shown once, with its count: {len(expected)} entries." in content
    assert Contribution.objects.filter(process=process).count() == 13
