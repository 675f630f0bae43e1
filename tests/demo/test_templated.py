"""The demo's templated process: made from the ICANN template, its deadline extended in public."""

from datetime import timedelta

from polyvox.demo.scenario import build_demo_process
from polyvox.demo.templated import EXTENSION_REASON, SLUG, TEMPLATE, build_templated_process
from polyvox.participants.models import User
from polyvox.record.models import RecordEntry


def test_the_demo_public_comment_comes_from_a_template_and_shows_its_extension(db, client):
    build_demo_process(seed=0)
    process = build_templated_process(secretariat=User.objects.get(username="sofia"))

    comment_period = process.phases.order_by("starts_at")[0]
    assert process.template_name == TEMPLATE
    assert comment_period.min_days == 40
    # The template's 40 days, then the 14-day extension.
    assert comment_period.ends_at - comment_period.starts_at == timedelta(days=54)
    page = client.get(f"/p/{SLUG}/").content.decode()
    assert EXTENSION_REASON in page
    assert "How this process works" in page
    assert "read and reply to the comments" in page
    reasons = RecordEntry.objects.filter(process=process, kind="phase.rescheduled").values_list(
        "payload__reason", flat=True
    )
    assert set(reasons) == {EXTENSION_REASON}
