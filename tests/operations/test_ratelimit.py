"""Rate limits: 429 with Retry-After past a limit, per account and per address, in the database."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from polyvox.contributions.models import Contribution
from polyvox.operations import ratelimit
from polyvox.operations.models import RateLimitCounter
from tests.factories import PhaseFactory, UserFactory

pytestmark = pytest.mark.django_db

VISITOR = "203.0.113.7"
OTHER = "198.51.100.20"
REGISTER = "/accounts/register/"


@pytest.fixture
def limits(settings: Any) -> Any:
    """Lower the limits to three requests a window, so a test can reach them."""

    def lower(**rules: dict[str, object]) -> None:
        settings.POLYVOX_RATE_LIMITS = rules

    return lower


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The limiter's clock, set by the test: [seconds since the epoch]."""
    now = [1_800_000_030.0]  # 30 s into a minute and into an hour
    monkeypatch.setattr(ratelimit, "_clock", lambda: now[0])
    return now


def post_register(client: Client, address: str = VISITOR, **extra: str) -> Any:
    # An empty form: below the limit the view answers with its errors (200), past it 429.
    return client.post(REGISTER, {}, REMOTE_ADDR=address, **extra)


def test_the_register_url_is_the_one_the_limit_names() -> None:
    assert reverse("participants:register") == REGISTER


def test_sign_up_past_the_limit_of_an_address_answers_429_with_retry_after(
    client: Client, limits: Any, frozen: list[float]
) -> None:
    limits(**{"sign-up": {"address": (3, 3600)}})

    answers = [post_register(client).status_code for _ in range(3)]
    refused = post_register(client)

    assert answers == [200, 200, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(3600 - 30)  # the hour's window ends in 59½ minutes
    page = refused.content.decode()
    assert "Too many requests — try again in 60 minutes." in page
    assert "<h1>Too many requests</h1>" in page
    assert refused["Content-Type"].startswith("text/html")


def test_another_address_is_counted_on_its_own(
    client: Client, limits: Any, frozen: list[float]
) -> None:
    limits(**{"sign-up": {"address": (2, 3600)}})
    for _ in range(3):
        post_register(client)

    assert post_register(client).status_code == 429
    assert post_register(client, OTHER).status_code == 200


def test_pages_read_with_get_are_not_counted(
    client: Client, limits: Any, frozen: list[float]
) -> None:
    limits(**{"sign-up": {"address": (2, 3600)}})

    answers = {client.get(REGISTER, REMOTE_ADDR=VISITOR).status_code for _ in range(5)}

    assert answers == {200}
    assert post_register(client).status_code == 200
    assert RateLimitCounter.objects.get().count == 1


def test_the_next_window_lets_the_address_in_again(
    client: Client, limits: Any, frozen: list[float]
) -> None:
    limits(**{"sign-up": {"address": (1, 60)}})
    post_register(client)
    refused = post_register(client)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "30"
    assert "try again in 1 minute." in refused.content.decode()

    frozen[0] += 30  # the minute is over

    assert post_register(client).status_code == 200


def test_a_signed_in_account_is_limited_whatever_its_address(
    client: Client, limits: Any, frozen: list[float]
) -> None:
    limits(inputs={"account": (3, 600), "address": None})
    phase = PhaseFactory()
    client.force_login(UserFactory())
    url = reverse("contributions:create", kwargs={"slug": phase.process.slug, "kind": "general"})

    answers = [client.post(url, {}, REMOTE_ADDR=f"203.0.113.{i}").status_code for i in range(1, 4)]
    refused = client.post(url, {"text": "A fourth input."}, REMOTE_ADDR="203.0.113.99")

    assert answers == [200, 200, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(600 - 30)
    assert not Contribution.objects.exists()  # nothing of the refused request was stored
    # Another account from the same addresses is not affected.
    client.force_login(UserFactory())
    assert client.post(url, {}, REMOTE_ADDR="203.0.113.99").status_code == 200


def test_loopback_is_not_counted_per_address_but_its_accounts_are(
    client: Client, limits: Any, frozen: list[float]
) -> None:
    limits(**{"sign-up": {"address": (1, 3600)}}, inputs={"account": (1, 600)})
    for _ in range(3):
        assert post_register(client, "127.0.0.1").status_code == 200
        assert post_register(client, "::1").status_code == 200

    phase = PhaseFactory()
    client.force_login(UserFactory())
    url = reverse("contributions:create", kwargs={"slug": phase.process.slug, "kind": "general"})
    assert client.post(url, {}).status_code == 200
    assert client.post(url, {}).status_code == 429


def test_the_api_answers_429_in_its_error_shape_reads_and_writes_apart(
    client: Client, limits: Any, frozen: list[float]
) -> None:
    limits(**{"api-read": {"address": (2, 60)}, "api-write": {"address": (1, 60)}})

    reads = [client.get("/api/v1/processes", REMOTE_ADDR=VISITOR).status_code for _ in range(2)]
    refused = client.get("/api/v1/processes", REMOTE_ADDR=VISITOR)
    write = client.post(
        "/api/v1/processes", {}, content_type="application/json", REMOTE_ADDR=VISITOR
    )

    assert reads == [200, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "30"
    assert refused["Content-Type"] == "application/json"
    assert refused.json() == {"error": "Too many requests: try again in 30 seconds."}
    assert write.status_code != 429  # writes have their own count
    second_write = client.post(
        "/api/v1/processes", {}, content_type="application/json", REMOTE_ADDR=VISITOR
    )
    assert second_write.status_code == 429


def test_a_trusted_proxy_header_names_the_address_and_only_its_last_entry_counts(
    client: Client, limits: Any, frozen: list[float], settings: Any
) -> None:
    settings.POLYVOX_CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    limits(**{"sign-up": {"address": (1, 3600)}})
    behind_proxy = {"REMOTE_ADDR": "127.0.0.1"}

    first = client.post(REGISTER, {}, HTTP_X_FORWARDED_FOR=VISITOR, **behind_proxy)
    # A client that makes up a first entry is still counted by the address the proxy saw.
    spoofed = client.post(REGISTER, {}, HTTP_X_FORWARDED_FOR=f"10.9.9.9, {VISITOR}", **behind_proxy)
    other = client.post(REGISTER, {}, HTTP_X_FORWARDED_FOR=OTHER, **behind_proxy)

    assert (first.status_code, spoofed.status_code, other.status_code) == (200, 429, 200)


def test_without_the_setting_a_forwarded_header_is_ignored(
    client: Client, limits: Any, frozen: list[float]
) -> None:
    limits(**{"sign-up": {"address": (1, 3600)}})
    post_register(client, HTTP_X_FORWARDED_FOR="192.0.2.1")

    assert post_register(client, HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 429


def test_ipv6_addresses_of_one_64_network_share_a_count(
    client: Client, limits: Any, frozen: list[float]
) -> None:
    limits(**{"sign-up": {"address": (1, 3600)}})
    post_register(client, "2001:db8:1:2::1")

    assert post_register(client, "2001:db8:1:2:ffff::9").status_code == 429
    assert post_register(client, "2001:db8:1:3::1").status_code == 200


def test_the_counters_hold_no_address_and_no_account_id(
    client: Client, limits: Any, frozen: list[float]
) -> None:
    limits(**{"sign-up": {"address": (5, 3600)}})
    post_register(client)

    counter = RateLimitCounter.objects.get()
    assert counter.count == 1
    assert VISITOR not in counter.key
    assert len(counter.key) == 64


def test_counting_is_one_atomic_upsert_per_window() -> None:
    from datetime import UTC, datetime

    ends = datetime(2030, 1, 1, tzinfo=UTC)

    counts = [ratelimit.count_request("a" * 64, ends) for _ in range(3)]

    assert counts == [1, 2, 3]
    assert RateLimitCounter.objects.get(key="a" * 64).count == 3


def test_expired_windows_are_pruned() -> None:
    from datetime import UTC, datetime, timedelta

    now = datetime(2030, 1, 1, tzinfo=UTC)
    ratelimit.count_request("b" * 64, now - timedelta(seconds=1))
    ratelimit.count_request("c" * 64, now + timedelta(seconds=1))

    assert ratelimit.prune_expired(now) == 1
    assert list(RateLimitCounter.objects.values_list("key", flat=True)) == ["c" * 64]


def test_a_failing_store_lets_the_request_through(
    client: Client, limits: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import OperationalError

    def broken(key: str, expires_at: object) -> int:
        raise OperationalError("the database went away")

    monkeypatch.setattr(ratelimit, "count_request", broken)
    limits(**{"sign-up": {"address": (1, 3600)}})

    assert [post_register(client).status_code for _ in range(3)] == [200, 200, 200]


def test_limits_can_be_switched_off(client: Client, limits: Any, settings: Any) -> None:
    settings.POLYVOX_RATE_LIMITS_ENABLED = False
    limits(**{"sign-up": {"address": (1, 3600)}})

    assert [post_register(client).status_code for _ in range(3)] == [200, 200, 200]
    assert not RateLimitCounter.objects.exists()


def test_the_default_limits_cover_every_action_the_issue_names() -> None:
    names = {v for spec in ratelimit.DEFAULT_RATE_LIMITS.values() for v in spec.get("views", [])}
    assert {
        "participants:register",
        "participants:login",
        "participants:password_reset",
        "contributions:create",
        "contributions:comment",
        "contributions:reply",
        "statements:vote",
        "moderation:flag",
        "moderation:report_identity",
    } <= names
    kinds = {spec.get("api") for spec in ratelimit.DEFAULT_RATE_LIMITS.values()}
    assert {"read", "write"} <= kinds
