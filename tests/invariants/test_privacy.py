"""Private values never leak: plant sentinels, crawl every public page, export and API answer.

The crawler follows every same-site link from the home page (GET only), so a new public page is
covered as soon as something links to it. It crawls as an anonymous visitor and as another
participant; only the person themself may see their own private values.
"""

import re
from collections import deque
from urllib.parse import urljoin, urlparse

import pytest
from django.test import Client

from polyvox.campaigns.services.detection import detect_campaigns
from polyvox.campaigns.services.intake import receive_submission
from polyvox.config.api import api
from polyvox.contributions.models import Contribution
from polyvox.contributions.services.submitting import submit_contribution
from polyvox.contributions.services.workbench import add_internal_note, propose_answer
from polyvox.demo.deliberation import build_deliberation_process
from polyvox.demo.scenario import build_demo_process
from polyvox.participants.models import User
from polyvox.participants.services import declare_interests, register_participant, update_profile
from polyvox.processes.models import Process
from polyvox.record.services import integrate_pending
from polyvox.statements.services import refresh_opinion_map

SENTINEL_GENDER = "SENTINEL-GENDER-7f3a"
SENTINEL_SOI = "SENTINEL-FUNDING-91bc"
SENTINEL_EMAIL = "sentinel-9d2e@private.example"
SENTINEL_DOMAIN = "sentinel-domain-4c1b.example"  # a campaign signal: secretariat only
SENTINEL_NETWORK = "198.51.100.0/24"  # a campaign signal: secretariat only
SENTINEL_NOTE = "SENTINEL-INTERNAL-NOTE-5e0a"  # workbench members only
SENTINEL_PROPOSED = "SENTINEL-PROPOSED-ANSWER-c3d8"  # internal until a reviewer approves it
# A pseudonymous author's verified identity: only the secretariat sees it (docs/identity.md).
SENTINEL_REAL_NAME = "SENTINEL-REAL-NAME-a61f"
SENTINEL_USERNAME = "sentinel-pseudonym-0b7e"
SENTINEL_AFFILIATION = "SENTINEL-AFFILIATION-d24c"
SENTINELS = (
    SENTINEL_GENDER, SENTINEL_SOI, SENTINEL_EMAIL, SENTINEL_DOMAIN, SENTINEL_NETWORK,
    SENTINEL_NOTE, SENTINEL_PROPOSED, SENTINEL_REAL_NAME, SENTINEL_USERNAME, SENTINEL_AFFILIATION,
)  # fmt: skip
SKIP = re.compile(r"^/(admin|i18n|static|media)/|/logout/|/edit/|/answer/|/reply/|/new/|/publish/")
MAX_PAGES = 400


@pytest.fixture
def planted(db: None) -> User:
    process = build_demo_process(seed=0)
    amina = User.objects.get(username="amina")
    update_profile(actor=amina, user=amina, gender=SENTINEL_GENDER)
    declare_interests(actor=amina, affiliations="Réseau Communautaire Ouest", funding=SENTINEL_SOI)
    amina.email = SENTINEL_EMAIL
    amina.save()
    sofia = User.objects.get(username="sofia")
    letter = "We ask the forum to keep licence-exempt spectrum open for community networks."
    for n, name in enumerate(["tomas", "oleg", "priya", "wei", "henrik"]):
        receive_submission(
            author=User.objects.get(username=name),
            process=process,
            text=f"{letter} ({n})",
            email_domain=SENTINEL_DOMAIN,
            network="198.51.100.7",
        )
    assert detect_campaigns(actor=sofia, process=process)
    noted = process.contributions.filter(author=amina).first()
    assert noted is not None
    add_internal_note(actor=sofia, contribution=noted, body=SENTINEL_NOTE)
    propose_answer(actor=sofia, contribution=noted, outcome="noted", reason=SENTINEL_PROPOSED)
    dialogue = build_deliberation_process(secretariat=sofia, seed=0, delegates=25)
    update_profile(
        actor=User.objects.get(username="delegate01"),
        user=User.objects.get(username="delegate01"),
        gender=SENTINEL_GENDER,
    )
    refresh_opinion_map(process=dialogue, seed=0)
    _plant_pseudonymous_author(process)
    assert process.contributions.filter(author=amina).exists()
    return amina


def _plant_pseudonymous_author(process: Process) -> None:
    """A participant who publishes only under an alias and anonymously (cn-principles allows
    pseudonyms): their name, username and affiliation must appear nowhere public."""
    author = register_participant(
        username=SENTINEL_USERNAME, email="pseudonym@private.example", password=None,
        display_name=SENTINEL_REAL_NAME, stakeholder_group="civil_society", email_verified=True,
        organisation=SENTINEL_AFFILIATION, country="UG",
    )  # fmt: skip
    update_profile(actor=author, user=author, alias="Kingfisher of the Nile")
    for publication in ("alias", "anonymous"):
        submit_contribution(
            author=author, process=process, kind="general", publication=publication,
            body=f"Community networks need spectrum ({publication}).",
        )  # fmt: skip


def crawl(client: Client, start: str = "/") -> dict[str, str]:
    """Every same-site page reachable by links from `start`: url → body text."""
    seen: dict[str, str] = {}
    queue = deque([start])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        seen[url] = text
        if "html" not in response.get("Content-Type", ""):
            continue
        for href in re.findall(r'href="([^"#]+)', text):
            target = urlparse(urljoin(url, href.replace("&amp;", "&")))
            if target.netloc or SKIP.search(target.path):
                continue
            path = target.path + (f"?{target.query}" if target.query else "")
            if path not in seen:
                queue.append(path)
    return seen


def api_get_urls() -> list[str]:
    """Every GET operation of the API, with the demo's identifiers filled in."""
    urls = []
    for slug in ("cn-principles", "wsis-dialogue"):
        values = {"slug": slug, "draft": "principles", "number": "1"}
        for path, methods in api.get_openapi_schema()["paths"].items():
            if "get" not in methods:
                continue
            urls.append(re.sub(r"\{(\w+)\}", lambda m, v=values: v.get(m.group(1), "1"), path))
    return urls


def leaks(pages: dict[str, str]) -> list[tuple[str, str]]:
    return [(url, s) for url, body in pages.items() for s in SENTINELS if s in body]


def test_no_private_value_appears_for_anonymous_visitors(planted):
    client = Client()
    integrate_pending()  # the record's page, download and API serve the entries in the log

    pages = crawl(client)
    pages.update({url: client.get(url).content.decode() for url in api_get_urls()})

    assert len(pages) > 20, sorted(pages)
    assert any(url.endswith(".csv") for url in pages), "the feedback report CSV was not reached"
    assert any("record.jsonl" in url for url in pages)
    assert any(url.endswith("/opinion-map/") for url in pages)
    assert any("/campaigns/" in url for url in pages)
    assert leaks(pages) == []


def test_no_private_value_appears_for_another_participant(planted):
    client = Client()
    client.force_login(User.objects.get(username="kenji"))

    pages = crawl(client)
    pages.update({url: client.get(url).content.decode() for url in api_get_urls()})
    pages["/accounts/people/amina/"] = client.get("/accounts/people/amina/").content.decode()

    assert leaks(pages) == []


def test_the_person_sees_their_own_private_values(planted):
    client = Client()
    client.force_login(planted)

    own = client.get("/accounts/profile/").content.decode()

    assert SENTINEL_GENDER in own


def test_the_secretariat_sees_the_campaign_signals_that_stay_private(planted):
    client = Client()
    client.force_login(User.objects.get(username="sofia"))

    signals = client.get("/p/cn-principles/signals/").content.decode()

    assert SENTINEL_DOMAIN in signals
    assert SENTINEL_NETWORK in signals


def test_the_secretariat_sees_the_account_behind_a_pseudonymous_input(planted):
    client = Client()
    client.force_login(User.objects.get(username="sofia"))
    anonymous = Contribution.objects.get(
        author__username=SENTINEL_USERNAME, publication="anonymous"
    )

    answer = client.get(f"/p/cn-principles/contributions/{anonymous.tracking_number}/answer/")

    assert anonymous.author_name == "Anonymous participant"
    assert SENTINEL_REAL_NAME in answer.content.decode()
    assert SENTINEL_USERNAME in answer.content.decode()


def test_workbench_members_read_the_planted_note_and_proposed_answer(planted):
    client = Client()
    client.force_login(User.objects.get(username="sofia"))
    noted = planted.contributions.filter(process__slug="cn-principles").first()

    answer = client.get(f"/p/cn-principles/contributions/{noted.tracking_number}/answer/")
    review = client.get("/p/cn-principles/workbench/review/")

    assert SENTINEL_NOTE in answer.content.decode()
    assert SENTINEL_PROPOSED in review.content.decode()
