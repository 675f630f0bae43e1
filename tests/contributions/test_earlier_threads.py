"""The conversation follows the text: a version's sections show the threads left on the same anchor
in earlier versions, marked with their version (issue 8, point 5)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polyvox.contributions.selectors.earlier_threads import earlier_threads_by_anchor
from polyvox.contributions.services.dispositions import record_disposition
from polyvox.contributions.services.moderation import hide_contribution
from polyvox.drafts.services import create_draft, publish_draft_version
from tests.factories import UserFactory, submit_comment, submit_reply

pytestmark = pytest.mark.django_db

V1 = """# Spectrum

Spectrum is scarce.

# Licensing

Licences are expensive.
"""
V2 = V1.replace("Spectrum is scarce.", "Spectrum must be shared.")


@pytest.fixture
def v1(process, secretariat):
    draft = create_draft(actor=secretariat, process=process, slug="principles", title="Principles")
    return publish_draft_version(actor=secretariat, draft=draft, markdown=V1)


def comment_on_v1(v1, secretariat, count, *, answered=0, start=0):
    section = v1.sections.get(anchor="spectrum-p1")
    comments = []
    for n in range(start, start + count):
        comment = submit_comment(UserFactory(username=f"voice{n}"), section, body=f"Input {n}.")
        if n - start < answered:
            record_disposition(
                actor=secretariat, contribution=comment, outcome="noted", reason="Noted."
            )
        comments.append(comment)
    return comments


def test_the_next_version_shows_the_earlier_threads_marked_with_their_version(
    client, open_phase, v1, secretariat
):
    comments = comment_on_v1(v1, secretariat, 3, answered=2)
    submit_reply(secretariat, comments[0], body="Thanks for this.")
    v2 = publish_draft_version(actor=secretariat, draft=v1.draft, markdown=V2)

    html = client.get(v2.get_absolute_url()).content.decode()

    spectrum = html[html.index('id="spectrum-p1"') : html.index('id="licensing"')]
    assert "0 comments · v1 · 3 inputs, 2 answered" in spectrum
    assert "Input 0." in spectrum
    assert "Thanks for this." in spectrum
    assert f'href="{v1.get_absolute_url()}#spectrum-p1"' in spectrum
    licensing = html[html.index('id="licensing-p1"') :]
    assert "v1 ·" not in licensing


def test_threads_follow_the_anchor_across_several_versions_newest_first(
    open_phase, v1, secretariat
):
    comment_on_v1(v1, secretariat, 2, answered=2)
    v2 = publish_draft_version(actor=secretariat, draft=v1.draft, markdown=V2)
    submit_comment(UserFactory(username="later"), v2.sections.get(anchor="spectrum-p1"))
    v3 = publish_draft_version(actor=secretariat, draft=v1.draft, markdown=V2 + "\nMore.")

    earlier = earlier_threads_by_anchor(viewer=None, version=v3)

    assert [(e.version_number, e.inputs, e.answered) for e in earlier["spectrum-p1"]] == [
        (2, 1, 0),
        (1, 2, 2),
    ]
    assert set(earlier) == {"spectrum-p1"}


def test_hidden_inputs_do_not_follow_the_text(open_phase, v1, secretariat):
    comments = comment_on_v1(v1, secretariat, 2)
    hide_contribution(
        actor=secretariat, contribution=comments[0], reason_code="spam", reason="Off-topic advert."
    )
    v2 = publish_draft_version(actor=secretariat, draft=v1.draft, markdown=V2)

    earlier = earlier_threads_by_anchor(viewer=None, version=v2)

    (only,) = earlier["spectrum-p1"]
    assert [node.contribution.body for node in only.threads] == ["Input 1."]


def test_the_first_version_has_no_earlier_threads(open_phase, v1, secretariat):
    comment_on_v1(v1, secretariat, 1)

    assert earlier_threads_by_anchor(viewer=None, version=v1) == {}


def test_the_earlier_threads_are_read_in_queries_that_do_not_grow_with_their_number(
    client, open_phase, v1, secretariat
):
    comment_on_v1(v1, secretariat, 2, answered=1)
    v2 = publish_draft_version(actor=secretariat, draft=v1.draft, markdown=V2)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(v2.get_absolute_url()).status_code == 200
        return len(captured)

    few = queries()
    comment_on_v1(v1, secretariat, 8, answered=8, start=2)
    assert queries() == few
