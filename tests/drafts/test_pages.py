"""A version page shows what other apps register: links under its navigation, panels per section."""

import pytest
from django.test import RequestFactory

from polyvox.core.sections import SectionRegistry
from polyvox.drafts.pages import SECTION_PANELS, Panel, SectionPanel, SectionPanels

pytestmark = pytest.mark.django_db


def test_contributions_registers_its_panel_in_every_section_of_a_version_page():
    assert SECTION_PANELS.keys() == ["contributions"]


def test_a_panel_builder_runs_once_per_page_and_gives_each_section_its_context(version1):
    sections = list(version1.sections.all())
    calls = []

    def builder(*, request, version):
        calls.append(version.pk)
        return lambda section: {"anchor": section.anchor} if section.level == 0 else None

    panels = SectionPanels()
    panels.register(SectionPanel("anchors", 10, "anchors.html", builder))

    built = panels.build(RequestFactory().get("/"), sections, version=version1)

    assert calls == [version1.pk]
    assert {section.anchor: built[section.pk] for section in sections} == {
        section.anchor: (
            [Panel("anchors.html", {"anchor": section.anchor})] if section.level == 0 else []
        )
        for section in sections
    }


def test_the_comment_panels_and_report_link_are_there_only_because_contributions_registered_them(
    client, version1, monkeypatch
):
    with_them = client.get(version1.get_absolute_url()).content.decode()
    monkeypatch.setattr("polyvox.drafts.views.SECTION_PANELS", SectionPanels())
    monkeypatch.setattr("polyvox.drafts.views.VERSION_PAGE", SectionRegistry("version"))
    without_them = client.get(version1.get_absolute_url()).content.decode()

    marks = ['class="section-contributions"', "/feedback/", 'id="2-licensing-p1"']
    assert [mark in with_them for mark in marks] == [True, True, True]
    assert [mark in without_them for mark in marks] == [False, False, True]
