"""Bulk import and the intake accept and reject the same inputs, and store them the same way.

The fast import writes with COPY / multi-row INSERT, so it could drift from the service. This
property test feeds the same generated text, external id, e-mail domain and network through both
paths — `receive_submission` (web form and API) and a one-row import file (CSV or JSONL) — and
asserts the same verdict and the same stored values. Each example runs in a rolled-back savepoint.
"""

import csv
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from polyvox.campaigns.importing import import_submissions
from polyvox.campaigns.models import SubmissionIntake
from polyvox.campaigns.services.intake import receive_submission
from polyvox.contributions.services.rules import MAX_BODY_CHARS

Stored = tuple[str, str, str, str] | None  # (body, external id, e-mail domain, network)

_tricky = st.text(alphabet=" \t\r\n\u00a0\u3000\x00e\u0301é字ب", max_size=12)
TEXTS = st.one_of(
    st.text(max_size=40),
    _tricky,
    st.builds(lambda pad, n, tail: pad + "a" * n + tail, _tricky,
              st.integers(MAX_BODY_CHARS - 3, MAX_BODY_CHARS + 3), _tricky),
)  # fmt: skip
EXTERNAL_IDS = st.one_of(
    st.just(""),
    st.text(max_size=8),
    st.builds(
        lambda n, pad: pad + "x" * n + pad, st.integers(198, 202), st.sampled_from(["", " "])
    ),
)
DOMAINS = st.sampled_from(["", "example.org", "Someone@Example.ORG.", "not a domain", "d" * 254])
NETWORKS = st.sampled_from(["", "203.0.113.7", "2001:db8::1", "10.0.0.0/8", "not-an-address"])


class _Rollback(Exception):  # noqa: N818 — a control-flow signal, not an error
    """Carries the outcome out of a savepoint that must not be kept."""


def _kept(work) -> Stored:
    try:
        with transaction.atomic():
            raise _Rollback(work())
    except _Rollback as outcome:
        return outcome.args[0]


def _stored(intake: SubmissionIntake) -> Stored:
    return (intake.contribution.body, intake.external_id, intake.email_domain, intake.network)


def _write_file(folder: Path, file_format: str, row: dict[str, str]) -> Path:
    path = folder / f"one-row.{file_format}"
    with path.open("w", encoding="utf-8", newline="") as handle:
        if file_format == "jsonl":
            handle.write(json.dumps(row) + "\n")
        else:
            writer = csv.DictWriter(handle, fieldnames=list(row))
            writer.writeheader()
            writer.writerow(row)
    return path


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=TEXTS,
    external_id=EXTERNAL_IDS,
    domain=DOMAINS,
    network=NETWORKS,
    file_format=st.sampled_from(["csv", "jsonl"]),
)
# A form feed at the end: both trim it (it is white space), so both keep "0".
@example(text="0\x0c", external_id="", domain="", network="", file_format="jsonl")
def test_import_and_intake_accept_reject_and_store_the_same_inputs(
    tmp_path, process, open_phase, participant, secretariat,
    text, external_id, domain, network, file_format,
):  # fmt: skip
    def through_service() -> Stored:
        try:
            received = receive_submission(
                author=participant, process=process, text=text, external_id=external_id,
                email_domain=domain, network=network,
            )  # fmt: skip
        except ValidationError:
            return None
        return _stored(received.contribution.intake)

    def through_import() -> Stored:
        row = {"text": text, "external_id": external_id, "email_domain": domain, "network": network}
        try:
            run = import_submissions(
                actor=secretariat, process=process, path=_write_file(tmp_path, file_format, row)
            )
        except ValidationError:  # the whole file refused (e.g. csv cannot hold U+0000)
            return None
        if run.rows_ok == 0:
            assert run.rows_rejected == 1
            return None
        return _stored(SubmissionIntake.objects.select_related("contribution").get(import_run=run))

    assert _kept(through_import) == _kept(through_service)
