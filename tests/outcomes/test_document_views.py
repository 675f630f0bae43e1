"""The outcome document: the page (printable), the PDF rendered for real by WeasyPrint, the JSON.

The PDF's text is read back from its bytes (`pdf_text` below: each content stream's glyph codes
mapped through its fonts' ToUnicode maps, as a PDF reader does), so the test sees what a reader
of the downloaded file would see, not the HTML it was made from.
"""

import json
import re
import zlib
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from polyvox.joint_statements.models import Relation
from polyvox.joint_statements.services.drafting import (
    create_joint_statement,
    open_for_sign_on,
    publish_linked_statement,
)
from polyvox.outcomes.models import Designation, Recommendation
from polyvox.outcomes.services.decisions import declare_decision, record_position
from polyvox.outcomes.services.designations import finalise_designation, object_to
from polyvox.participants.models import User
from polyvox.processes.models import Process
from tests.factories import UserFactory, make_recommendation
from tests.outcomes.conftest import after, during

pytestmark = pytest.mark.django_db

MINORITY_VIEW = "We object: the private sector was not consulted on the translation budget."
ARABIC = "نعترض: التوافق لم يتحقق."


# Reading a PDF's text --------------------------------------------------------------------------


def _stream(body: bytes) -> bytes | None:
    found = re.search(rb"stream\r?\n(.*)\r?\nendstream", body, re.S)
    if found is None:
        return None
    data = found[1]
    return zlib.decompress(data) if b"/FlateDecode" in body[: found.start()] else data


def _utf16(hexa: bytes) -> str:
    return bytes.fromhex(hexa.decode()).decode("utf-16-be", errors="replace")


def _cmap(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap: glyph code → text."""
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for source, target in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[int(source, 16)] = _utf16(target)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        ranges = re.findall(
            rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])", block
        )
        for low, high, target in ranges:
            targets = re.findall(rb"<([0-9a-fA-F]+)>", target)
            for i, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                if target.startswith(b"["):
                    mapping[code] = _utf16(targets[i])
                else:
                    start = bytes.fromhex(targets[0].decode())
                    value = (int.from_bytes(start, "big") + i).to_bytes(len(start), "big")
                    mapping[code] = value.decode("utf-16-be", errors="replace")
    return mapping


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF made by WeasyPrint, runs joined by spaces (whitespace collapsed)."""
    objects = {int(m[1]): m[2] for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)\s*endobj", pdf, re.S)}
    for body in list(objects.values()):  # objects packed in object streams
        if re.search(rb"/Type\s*/ObjStm", body):
            data = _stream(body) or b""
            first = int(re.search(rb"/First (\d+)", body)[1])  # type: ignore[index]
            numbers = [int(n) for n in data[:first].split()]
            pairs = list(zip(numbers[0::2], numbers[1::2], strict=True))
            for i, (number, offset) in enumerate(pairs):
                end = pairs[i + 1][1] if i + 1 < len(pairs) else len(data) - first
                objects[number] = data[first + offset : first + end]
    fonts: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        for name, number in re.findall(rb"/([^\s/<>\[\]()]+)\s+(\d+) 0 R", body):
            to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", objects.get(int(number), b""))
            if to_unicode:
                fonts[name] = _cmap(_stream(objects[int(to_unicode[1])]) or b"")
    runs: list[str] = []
    operators = rb"/([^\s/<>\[\]()]+) [\d.]+ Tf|\[(.*?)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj"
    for body in objects.values():
        content = _stream(body) if b"stream" in body else None
        if not content or b"BT" not in content:
            continue
        cmap: dict[int, str] = {}
        for match in re.finditer(operators, content, re.S):
            if match[1]:
                cmap = fonts.get(match[1], {})
                continue
            codes = b"".join(re.findall(rb"<([0-9a-fA-F]*)>", match[2])) if match[2] else match[3]
            runs.append(
                "".join(cmap.get(int(codes[i : i + 4], 16), "?") for i in range(0, len(codes), 4))
            )
    return " ".join(" ".join(runs).split())


# The document ----------------------------------------------------------------------------------


def url(name: str, process: Process) -> str:
    return reverse(f"outcomes:{name}", kwargs={"slug": process.slug})


def page(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


@pytest.fixture
def decided(
    process: Process,
    chair: User,
    secretariat: User,
    participant: User,
    other_participant: User,
    recommendation: Recommendation,
    proposal: Designation,
) -> Recommendation:
    """Recommendation 1: positions recorded (2 in favour, 1 against); objected to by Kenji and
    by Amina (in Arabic), made final as "strong support" with both as minority views; the
    decision declared."""
    record_position(actor=participant, recommendation=recommendation, position="support")
    record_position(actor=other_participant, recommendation=recommendation, position="oppose")
    record_position(
        actor=UserFactory(username="lena"), recommendation=recommendation, position="can-live-with"
    )
    object_to(
        actor=other_participant, designation=proposal, reason=MINORITY_VIEW, now=during(proposal)
    )
    object_to(actor=participant, designation=proposal, reason=ARABIC, now=during(proposal))
    finalise_designation(
        actor=chair,
        proposal=proposal,
        level="strong_support",
        rationale="Significant opposition from the private sector.",
        now=after(proposal),
    )
    declare_decision(actor=secretariat, recommendation=recommendation)
    recommendation.refresh_from_db()
    return recommendation


@pytest.fixture
def joint_statement(process: Process, participant: User, other_participant: User) -> str:
    statement = create_joint_statement(
        actor=participant,
        process=process,
        title="Keep the internet open",
        body="We call for an open and interoperable internet.",
    )
    open_for_sign_on(
        actor=participant, statement=statement, deadline=timezone.now() + timedelta(days=7)
    )
    publish_linked_statement(
        actor=other_participant,
        responds_to=statement,
        relation=Relation.DISSENT,
        title="Openness needs security",
        body="We dissent: openness without security harms users.",
    )
    return statement.title


def test_the_page_shows_everything_a_reader_of_the_outcome_needs(
    client: Client, process: Process, decided: Recommendation, joint_statement: str
) -> None:
    response = client.get(url("document", process))
    assert response.status_code == 200
    html = page(response)
    assert f"Outcome document: {process.title}" in html
    assert "Simple majority" in html  # the rule set
    assert decided.title in html
    assert decided.text in html
    assert "Draft principles v1 § scope" in html
    assert "Strong support but significant opposition" in html
    assert "revised from “Consensus”" in html
    assert "Significant opposition from the private sector." in html
    assert MINORITY_VIEW in html
    assert ARABIC in html
    assert "Kenji" in html  # minority views with their authors
    assert "Positions by stakeholder group" in html  # the evidence, as tables
    assert "<caption>" in html
    assert "Passed" in html  # 2 in favour, 1 against under simple majority
    assert "What if: the same positions on recommendation 1 under every rule set" in html
    assert "One state, one vote" in html  # every preset in the what-if table
    assert "(this process's rule set)" in html
    assert "Keep the internet open" in html
    assert "We dissent: openness without security harms users." in html  # beside its dissent
    assert "print-outcome.css" in html
    assert url("document_pdf", process) in html
    assert url("document_json", process) in html


def test_the_print_stylesheet_hides_navigation() -> None:
    from django.contrib.staticfiles import finders

    found = finders.find("css/print-outcome.css")
    assert isinstance(found, str)
    with open(found, encoding="utf-8") as css:
        stylesheet = css.read()
    print_rules = stylesheet[stylesheet.index("@media print") :]
    assert ".site-header" in print_rules
    assert "display: none" in print_rules


def test_a_recommendation_not_yet_designated_or_decided_says_so(
    client: Client, process: Process, recommendation: Recommendation
) -> None:
    html = page(client.get(url("document", process)))
    assert "Not designated." in html
    assert "No decision declared." in html


def test_an_empty_process_has_a_document_too(client: Client, process: Process) -> None:
    html = page(client.get(url("document", process)))
    assert "No recommendation has been listed in this process." in html


def test_the_document_reads_in_a_fixed_number_of_queries_per_declared_decision(
    client: Client, process: Process, chair: User
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("document", process)).status_code == 200
        return len(captured)

    make_recommendation(process, "One")
    few = queries()
    for n in range(5):
        make_recommendation(process, f"More {n}")
    assert queries() == few


def test_the_pdf_is_rendered_for_real_with_the_title_and_the_minority_view(
    client: Client, process: Process, decided: Recommendation, joint_statement: str
) -> None:
    response = client.get(url("document_pdf", process))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="outcome-{process.slug}.pdf"' in response["Content-Disposition"]
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert decided.title in text
    assert MINORITY_VIEW in text
    assert "Strong support but significant opposition" in text
    assert "Keep the internet open" in text
    assert "Download:" not in text  # no links to itself on paper


def test_the_pdf_reader_reads_what_it_is_given() -> None:
    """The helper above is what the PDF test relies on: a control on a known PDF."""
    import weasyprint

    pdf = weasyprint.HTML(string="<p>Hello <b>bold</b> world, <i>Überweg</i>.</p>").write_pdf()
    text = pdf_text(pdf)  # runs in another font are joined by a space
    assert text.startswith("Hello bold world, Überweg")
    assert b"Hello" not in pdf  # glyph codes in compressed streams: the text had to be decoded


def test_the_json_is_the_outcome_document_as_a_download(
    client: Client, process: Process, decided: Recommendation, joint_statement: str
) -> None:
    response = client.get(url("document_json", process))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == f'attachment; filename="outcome-{process.slug}.json"'
    data = json.loads(response.content)
    assert data["process"]["slug"] == process.slug
    (entry,) = data["recommendations"]
    assert entry["title"] == decided.title
    assert entry["designation"]["level"] == "strong_support"
    assert entry["designation"]["revised"] is True
    assert {view["text"] for view in entry["minority_views"]} == {MINORITY_VIEW, ARABIC}
    assert entry["decision"]["passed"] is True
    assert len(entry["decision"]["what_if"]) == 7
    assert data["joint_statements"][0]["linked_statements"][0]["relation"] == Relation.DISSENT
    assert "Kenji" in response.content.decode()  # names as published; nothing private:
    assert "@example.org" not in response.content.decode()


def test_a_process_that_does_not_exist_has_no_document(client: Client) -> None:
    for name in ("outcomes:document", "outcomes:document_pdf", "outcomes:document_json"):
        assert client.get(reverse(name, kwargs={"slug": "nowhere"})).status_code == 404
