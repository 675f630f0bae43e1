"""The Content-Security-Policy in a real browser: the demo's main pages raise no violation, axe-core
still runs under it, and the API's interactive docs render from the project's own static files."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from polyvox.demo.deliberation import build_deliberation_process
from polyvox.demo.organising import build_organising
from polyvox.demo.outcomes import build_outcomes_process
from polyvox.demo.scenario import build_demo_process
from polyvox.participants.models import User
from tests.browser.conftest import assert_accessible
from tests.browser.test_pages_accessibility import PUBLIC, SECRETARIAT

PASSWORD = "a long and unusual passphrase 42"
# Pages the accessibility walk leaves out but which carry what CSP once broke: the opinion map's
# colours, the voting deck (htmx swaps), the API's interactive docs (Swagger UI).
MORE_PUBLIC = [
    "/p/wsis-dialogue/opinion-map/",
    "/p/wsis-dialogue/statements/",
    "/accounts/login/",
    "/accounts/register/",
    "/api/v1/docs",
]
MORE_SECRETARIAT = [
    "/p/wsis-dialogue/vote/",
    "/p/wsis-dialogue/opinion-map/",
    "/accounts/profile/",
    "/notifications/",
]

# Every violation the page reports, kept on the window: an init script is injected by the browser
# itself, before the page's own scripts, and is not subject to the page's policy.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`
  );
});
"""


@pytest.fixture
def watched(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A page (CSP enforced, no bypass) and the list of violations it reports, console included."""
    context: BrowserContext = browser.new_context(locale="en-GB", timezone_id="Africa/Nairobi")
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.set_default_timeout(15_000)
    heard: list[str] = []
    page.on(
        "console",
        lambda message: (
            heard.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page, heard
    context.close()


def violations(page: Page, heard: list[str]) -> list[str]:
    found = [*page.evaluate("window.__cspViolations || []"), *heard]
    heard.clear()
    return found


@pytest.fixture
def demo(transactional_db: None) -> None:
    process = build_demo_process(seed=0)
    build_organising(process=process)
    sofia = User.objects.get(username="sofia")
    sofia.set_password(PASSWORD)
    sofia.save()
    build_deliberation_process(secretariat=sofia, seed=0, delegates=20)
    build_outcomes_process(secretariat=sofia, seed=0)


def test_the_listener_hears_a_violation_when_a_page_breaks_the_policy(
    live_server, watched, transactional_db
):
    page, heard = watched
    page.goto(f"{live_server.url}/")
    assert violations(page, heard) == []

    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">inline</p>')"
    )
    page.wait_for_timeout(200)

    found = violations(page, heard)
    assert found != []
    assert any("style-src" in line for line in found), found


def test_the_demos_main_pages_raise_no_csp_violation(live_server, watched, demo):
    page, heard = watched
    base = live_server.url
    found: dict[str, list[str]] = {}
    for path in [*PUBLIC, *MORE_PUBLIC]:
        response = page.goto(base + path)
        assert response is not None
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        if problems := violations(page, heard):
            found[path] = problems

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("sofia")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()  # a boosted POST: htmx swaps the page
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.wait_for_load_state("networkidle")
    if problems := violations(page, heard):
        found["log in (htmx)"] = problems
    for path in [*SECRETARIAT, *MORE_SECRETARIAT]:
        response = page.goto(base + path)
        assert response is not None
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        if problems := violations(page, heard):
            found[path] = problems

    assert found == {}


def test_the_api_docs_render_their_operations_under_the_policy(
    live_server, watched, transactional_db
):
    page, heard = watched
    elsewhere: list[str] = []
    page.route(
        lambda url: not url.startswith(live_server.url),
        lambda route: (elsewhere.append(route.request.url), route.abort()),
    )

    page.goto(f"{live_server.url}/api/v1/docs")

    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() >= 40  # every operation of the API is listed
    expect(page.get_by_text("Polyvox API").first).to_be_visible()
    assert violations(page, heard) == []
    assert elsewhere == []


def test_axe_core_still_runs_on_a_page_under_the_policy(live_server, watched, transactional_db):
    page, _heard = watched
    page.goto(f"{live_server.url}/accounts/login/")

    assert_accessible(page)  # injected by Playwright's evaluate, which the policy does not block
