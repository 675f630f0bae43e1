"""axe-core on the pages the journeys do not visit: the demo's public and secretariat pages."""

import pytest
from playwright.sync_api import Page

from polyvox.campaigns.models import Campaign
from polyvox.commitments.models import Contestation
from polyvox.demo.deliberation import build_deliberation_process
from polyvox.demo.organising import build_organising
from polyvox.demo.outcomes import build_outcomes_process
from polyvox.demo.scenario import build_demo_process
from polyvox.participants.models import User
from tests.browser.conftest import assert_accessible

PASSWORD = "a long and unusual passphrase 42"
PUBLIC = [
    "/",
    "/p/cn-principles/",
    "/p/cn-principles/drafts/principles/diff/1/2/",
    "/p/cn-principles/contributions/",
    "/p/cn-principles/record/",
    "/p/cn-principles/campaigns/",
    "/p/wsis-dialogue/statements/",
    "/accounts/people/amina/",
    "/p/cn-principles/drafts/principles/v1/feedback/",
    "/organisations/",
    "/organisations/reseau-communautaire-ouest/",
    "/p/cn-principles/caucuses/",
    "/p/cn-principles/caucuses/civil-society-caucus/",
    "/p/cn-principles/joint-statements/",
    "/p/cn-outcomes/",
    "/p/cn-outcomes/outcomes/",
    "/p/cn-outcomes/outcomes/1/",
    "/p/cn-outcomes/outcomes/2/",
    "/p/cn-outcomes/outcomes/2/positions/",
    "/p/cn-outcomes/outcomes/rules/",
    "/p/cn-outcomes/outcome/",
    "/p/cn-outcomes/commitments/",
    "/p/cn-outcomes/commitments/?status=overdue",
]
SECRETARIAT = [
    "/p/cn-principles/workbench/",
    "/p/cn-principles/signals/",
    "/p/wsis-dialogue/statements/moderation/",
    "/p/cn-principles/phases/new/",
    "/organisations/open-mesh-foundation/",
    "/p/cn-outcomes/outcomes/new/",
    "/p/cn-outcomes/outcomes/rules/",
    "/p/cn-outcomes/outcomes/electors/",
    "/p/cn-outcomes/commitments/new/",
]


@pytest.fixture
def demo(transactional_db: None) -> dict[str, str]:
    process = build_demo_process(seed=0)
    statement = build_organising(process=process)
    dissent = statement.linked_statements.get()
    sofia = User.objects.get(username="sofia")
    sofia.set_password(PASSWORD)
    sofia.save()
    build_deliberation_process(secretariat=sofia, seed=0, delegates=20)
    build_outcomes_process(secretariat=sofia, seed=0)
    contested = Contestation.objects.get().update.commitment
    return {
        "contested commitment": contested.get_absolute_url(),
        "campaign": f"/p/cn-principles/campaigns/{Campaign.objects.get().pk}/",
        "statement": statement.get_absolute_url(),
        "dissent": dissent.get_absolute_url(),
    }


def test_public_and_secretariat_pages_have_no_axe_violations(page: Page, live_server, demo):
    base = live_server.url
    for path in [*PUBLIC, *demo.values(), demo["statement"] + "signatories/"]:
        response = page.goto(base + path)
        assert response is not None
        assert response.status == 200, path
        assert_accessible(page)

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("sofia")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for path in [*SECRETARIAT, demo["campaign"]]:
        response = page.goto(base + path)
        assert response is not None
        assert response.status == 200, path
        assert_accessible(page)
