"""The indicators page, its targets form, the process-quality report (HTML and the PDF rendered for
real by WeasyPrint) and the API: who sees what, what they read, and what never leaves."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from polyvox.indicators.services import set_participation_target
from polyvox.processes.models import ParticipationTarget
from tests.factories import UserFactory, submit_comment
from tests.outcomes.test_document_views import pdf_text

pytestmark = pytest.mark.django_db

SENTINEL_GENDER = "SENTINEL-GENDER-3b9d"


def url(process, name="page", **kwargs):
    return reverse(f"indicators:{name}", kwargs={"slug": process.slug, **kwargs})


def api(process):
    return f"/api/v1/processes/{process.slug}/indicators"


def _target(process, secretariat, dimension, value, share):
    return set_participation_target(
        actor=secretariat, process=process, dimension=dimension, value=value, min_share=share
    )


def test_the_process_page_links_to_the_indicators_and_the_report(client, process):
    page = client.get(process.get_absolute_url()).content.decode()

    assert url(process) in page
    assert url(process, "report") in page
    assert url(process, "report_pdf") in page


def test_anyone_reads_the_indicators_with_a_chart_and_a_table_per_breakdown(
    client, process, inputs
):
    page = client.get(url(process))

    assert page.status_code == 200
    body = page.content.decode()
    assert "<h1>Indicators: " in body
    for key in ("by_group", "by_region", "by_gender"):
        assert f'id="{key}"' in body
        assert f'aria-labelledby="chart-{key}-title chart-{key}-desc"' in body
    assert "<caption>Inputs by the stakeholder group their authors declared</caption>" in body
    # 6 Kenyan civil-society inputs, 5 German private-sector inputs: shown; the lone Brazilian
    # government input is hidden (and so whatever would give it away).
    by_group = body[body.index('id="by_group"') : body.index('id="by_region"')]
    cells = dict(re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td>', by_group))
    assert cells["Government"] == "hidden"
    # Hiding 1 of 12 hides other cells too (complementary suppression), or the total, the
    # regions or the cross table would give it away; a cell shown is the true count.
    assert cells["Civil society"] in {"6", "hidden"}
    assert cells["Private sector"] in {"5", "hidden"}
    assert "Who took part" in body
    assert "Alerts for the secretariat" not in body
    assert 'name="percent"' not in body  # no targets form for a visitor


def test_the_staff_see_the_alerts_and_the_secretariat_the_targets_form(
    client, process, inputs, secretariat
):
    client.force_login(secretariat)

    body = client.get(url(process)).content.decode()

    assert "Alerts for the secretariat" in body
    assert 'name="percent"' in body


def test_the_secretariat_sets_a_target_through_the_form_and_reads_it_against_the_inputs(
    client, process, inputs, secretariat
):
    client.force_login(secretariat)

    response = client.post(
        url(process, "add_target"), {"what": "stakeholder_group:civil_society", "percent": "60"}
    )

    assert response.status_code == 302
    assert response["Location"] == url(process) + "#targets"
    body = client.get(url(process)).content.decode()
    assert "60.0 %" in body  # the target, in the table of targets and of the breakdown
    assert "Remove the target for Civil society" in body


def test_a_bad_target_answers_200_with_the_error_on_the_form(client, process, secretariat):
    client.force_login(secretariat)

    missing_gender = client.post(url(process, "add_target"), {"what": "gender:", "percent": "30"})
    too_much = client.post(
        url(process, "add_target"), {"what": "stakeholder_group:government", "percent": "150"}
    )

    assert missing_gender.status_code == 200
    assert "Name the gender this target counts." in missing_gender.content.decode()
    assert too_much.status_code == 200
    assert "less than or equal to 100" in too_much.content.decode()
    assert not ParticipationTarget.objects.exists()


def test_a_participant_may_not_set_or_remove_targets_and_a_visitor_is_sent_to_log_in(
    client, process, secretariat, participant
):
    target = _target(process, secretariat, "region", "Africa", "0.3")
    client.force_login(participant)

    added = client.post(url(process, "add_target"), {"what": "region:Asia", "percent": "30"})
    removed = client.post(url(process, "remove_target", target_id=target.pk))
    client.logout()
    visitor = client.post(url(process, "add_target"), {"what": "region:Asia", "percent": "30"})

    assert (added.status_code, removed.status_code, visitor.status_code) == (403, 403, 302)
    assert list(ParticipationTarget.objects.values_list("value", flat=True)) == ["Africa"]


def test_the_secretariat_removes_a_target_from_the_page(client, process, secretariat):
    target = _target(process, secretariat, "region", "Africa", "0.3")
    client.force_login(secretariat)

    response = client.post(url(process, "remove_target", target_id=target.pk))

    assert response.status_code == 302
    assert not ParticipationTarget.objects.exists()


def test_the_report_maps_every_figure_to_the_guidelines_and_links_it_to_its_data(
    client, process, inputs
):
    body = client.get(url(process, "report")).content.decode()

    assert "SPMG 6: Facilitate dialogue" in body
    assert "SPMG 8: Factor in feedback from wider community" in body
    assert "SPMG 11: Implementation and accountability in decision making" in body
    assert "UNESCO Internet Universality indicators (ROAM-X)" in body
    assert "Provisional" in body  # the process is still open
    ids = set(re.findall(r'id="([^"]+)"', body))
    links = re.findall(r'<a href="#([^"]+)">table in this report</a>', body)
    assert len(links) >= 25
    assert set(links) <= ids  # every figure's link lands on its table in the report


def test_the_pdf_report_is_a_real_pdf_with_the_figures(client, process, inputs, secretariat):
    _target(process, secretariat, "stakeholder_group", "government", "0.25")

    response = client.get(url(process, "report_pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="quality-report-{process.slug}.pdf"'
    )
    text = pdf_text(response.content)
    assert "Process-quality report" in text
    assert "Factor in feedback from wider community" in text
    assert "Targets not met" in text


def test_the_api_answers_the_figures_and_the_targets(client, process, inputs, secretariat):
    target = _target(process, secretariat, "stakeholder_group", "government", "0.25")

    body = client.get(api(process)).json()

    assert body["process"] == process.slug
    assert body["suppress_below"] == 5
    assert set(body) >= {
        "participation",
        "responsiveness",
        "interaction",
        "concentration",
        "circulation",
        "alerts",
    }
    assert body["alerts"] == []  # a visitor: the alerts are the staff's
    assert body["targets"] == [
        {"id": target.pk, "dimension": "stakeholder_group", "value": "government",
         "min_share": "0.250"}
    ]  # fmt: skip


def test_the_secretariat_sets_and_removes_targets_through_the_api(
    client, process, secretariat, participant
):
    client.force_login(participant)
    refused = client.post(
        f"{api(process)}/targets",
        {"dimension": "region", "value": "Asia", "min_share": "0.2"},
        content_type="application/json",
    )
    client.force_login(secretariat)
    bad = client.post(
        f"{api(process)}/targets",
        {"dimension": "region", "value": "Atlantis", "min_share": "0.2"},
        content_type="application/json",
    )
    made = client.post(
        f"{api(process)}/targets",
        {"dimension": "region", "value": "Asia", "min_share": "0.2"},
        content_type="application/json",
    )
    removed = client.delete(f"{api(process)}/targets/{made.json()['id']}")

    assert (refused.status_code, bad.status_code, made.status_code) == (403, 400, 201)
    assert "Atlantis" not in bad.json()["fields"]["value"][0]
    assert removed.status_code == 204
    assert not ParticipationTarget.objects.exists()


def test_a_private_gender_never_leaves_the_server(client, process, version, secretariat):
    lone = UserFactory(username="lone")
    lone.profile.gender = SENTINEL_GENDER
    lone.profile.save()
    section = version.sections.get(anchor="scope")
    submit_comment(lone, section, "My point.")
    for i in range(6):
        submit_comment(UserFactory(username=f"w{i}"), section, f"Point {i}.")
    client.force_login(secretariat)

    answers = [
        client.get(url(process)).content.decode(),
        client.get(url(process, "report")).content.decode(),
        pdf_text(client.get(url(process, "report_pdf")).content),
        client.get(api(process)).content.decode(),
    ]

    for answer in answers:
        assert SENTINEL_GENDER not in answer
        assert SENTINEL_GENDER.lower() not in answer


def test_in_french_the_chart_coordinates_stay_numbers(client, process, inputs):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    body = client.get(url(process)).content.decode()

    assert '<html lang="fr"' in body
    shapes = re.findall(r"<(?:rect|text|line) [^>]*>", body)
    coordinates = [
        value for shape in shapes for value in re.findall(r' (?:x|y|width|x1|x2)="([^"]*)"', shape)
    ]
    assert coordinates
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in coordinates)


def test_in_arabic_the_charts_are_mirrored(client, process, inputs):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"

    body = client.get(url(process)).content.decode()

    assert 'dir="rtl"' in body
    labels = re.findall(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="start" fill', body)
    assert labels  # the labels sit on the right, anchored at their start
    assert all(float(x) > 400 for x in labels)


def test_the_page_reads_the_same_number_of_queries_whatever_the_number_of_inputs(
    client, process, version, secretariat
):
    section = version.sections.get(anchor="scope")
    client.force_login(secretariat)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(process)).status_code == 200
        return len(captured)

    for i in range(6):
        submit_comment(UserFactory(username=f"a{i}"), section, f"Point {i}.")
    few = queries()
    for i in range(12):
        submit_comment(
            UserFactory(username=f"b{i}", profile={"country": "FR"}), section, f"Point {i}."
        )
    many = queries()

    assert few == many
