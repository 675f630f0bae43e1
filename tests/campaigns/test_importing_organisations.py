"""Imported rows naming an organisation speak for it: each distinct name (case and spaces ignored)
is an existing active organisation or one new unverified organisation, registered once."""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from polyvox.campaigns.importing import import_submissions
from polyvox.contributions.models import Contribution
from polyvox.organisations.models import Organisation, OrganisationEvent, OrganisationEventKind
from tests.factories import make_organisation


def _jsonl(path, rows):
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    return path


def _import(process, secretariat, path):
    return import_submissions(actor=secretariat, process=process, path=path)


def test_each_distinct_name_becomes_one_unverified_organisation_the_rows_speak_for(
    process, secretariat, tmp_path
):
    path = _jsonl(tmp_path / "rows.jsonl", [
        {"text": "One.", "organisation": "Acme  Networks", "stakeholder_group": "private_sector",
         "country": "BR"},
        {"text": "Two.", "organisation": " acme networks ", "stakeholder_group": "civil_society"},
        {"text": "Three.", "organisation": "ACME NETWORKS"},
        {"text": "Four.", "organisation": "Red Comunitaria", "country": "MX"},
        {"text": "Five."},
    ])  # fmt: skip

    run = _import(process, secretariat, path)

    assert run.rows_ok == 5
    acme, red = Organisation.objects.order_by("id")
    assert (acme.name, acme.slug, acme.stakeholder_group, acme.country, acme.is_verified) == (
        "Acme Networks", "acme-networks", "private_sector", "BR", False,
    )  # fmt: skip
    assert (red.name, red.stakeholder_group, red.country) == ("Red Comunitaria", "individual", "MX")
    rows = Contribution.objects.filter(process=process).order_by("id")
    assert [(c.on_behalf_of, c.on_behalf_of_organisation, c.organisation) for c in rows] == [
        (acme, True, "Acme Networks"),
        (acme, True, "Acme Networks"),
        (acme, True, "Acme Networks"),
        (red, True, "Red Comunitaria"),
        (None, False, ""),
    ]
    events = OrganisationEvent.objects.order_by("id")
    assert [(e.organisation, e.kind, e.detail) for e in events] == [
        (acme, OrganisationEventKind.REGISTERED, {"source": "import"}),
        (red, OrganisationEventKind.REGISTERED, {"source": "import"}),
    ]


def test_an_existing_active_organisation_is_used_and_a_merged_one_is_not(
    process, secretariat, tmp_path
):
    acme = make_organisation("Acme Networks", slug="acme-networks")
    survivor = make_organisation("Red Comunitaria A.C.", slug="red-comunitaria-ac")
    make_organisation(
        "Red Comunitaria", slug="red-comunitaria", merged_into=survivor, merged_at=timezone.now()
    )
    path = _jsonl(tmp_path / "rows.jsonl", [
        {"text": "One.", "organisation": "acme networks"},
        {"text": "Two.", "organisation": "Red Comunitaria"},
    ])  # fmt: skip

    _import(process, secretariat, path)

    one, two = Contribution.objects.filter(process=process).order_by("id")
    assert (one.on_behalf_of, one.organisation) == (acme, "Acme Networks")
    new = two.on_behalf_of
    assert (new.name, new.slug, new.merged_into) == ("Red Comunitaria", "red-comunitaria-2", None)
    assert Organisation.objects.count() == 4


def test_a_rerun_registers_no_organisation_twice(process, secretariat, tmp_path):
    first = _jsonl(tmp_path / "first.jsonl", [{"text": "One.", "organisation": "Acme"}])
    second = _jsonl(tmp_path / "second.jsonl", [{"text": "Two.", "organisation": "ACME"}])

    _import(process, secretariat, first)
    _import(process, secretariat, second)

    assert Organisation.objects.count() == 1
    assert Contribution.objects.filter(on_behalf_of__name="Acme").count() == 2


def _queries(process, secretariat, path):
    with CaptureQueriesContext(connection) as captured:
        _import(process, secretariat, path)
    return len(captured)


def test_the_queries_do_not_grow_with_the_rows_or_the_names(process, secretariat, tmp_path):
    few = _jsonl(tmp_path / "few.jsonl", [
        {"text": f"Few {n}.", "organisation": f"Organisation {n % 2}", "external_id": f"f{n}"}
        for n in range(4)
    ])  # fmt: skip
    many = _jsonl(tmp_path / "many.jsonl", [
        {"text": f"Many {n}.", "organisation": f"Group {n % 40}", "external_id": f"m{n}"}
        for n in range(400)
    ])  # fmt: skip

    # The first import creates the process's import account: not what is measured here.
    _import(process, secretariat, _jsonl(tmp_path / "first.jsonl", [{"text": "First."}]))

    assert _queries(process, secretariat, few) == _queries(process, secretariat, many)
    assert Organisation.objects.count() == 42
    assert not Contribution.objects.filter(on_behalf_of_organisation=True, on_behalf_of=None)
