"""The demo consultation built once per module, and grown inside each test.

`world` seeds the demo's consultation (`cn-principles`: personas, two draft versions, answered
inputs with replies, a campaign, organisations, a caucus, a joint statement with signatures and a
dissent), adds statements with votes, and integrates the record. It lives in a transaction of its
own that is rolled back after the module; each test runs in a savepoint inside it, so what a test
grows is gone for the next one.

`grow(world, n)` adds `n` of everything that grows with participation: imported submissions
(half of them one form letter, so the campaign grows), answers and proposed answers, comments
and replies, participants who join, vote, sign and enter the caucus, organisations, record
entries and notifications; then it refreshes the opinion map and detects campaigns again.
"""

import csv
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Max
from django.test.utils import override_settings
from django.utils import timezone

from polyvox.campaigns.importing import import_submissions
from polyvox.campaigns.models import Campaign
from polyvox.campaigns.services.detection import detect_campaigns
from polyvox.caucuses.models import Caucus, CaucusMembership, CaucusMembershipStatus, CaucusRole
from polyvox.contributions.models import Contribution, Disposition, ProposedAnswer
from polyvox.contributions.services.submitting import submit_contribution
from polyvox.demo.organising import build_organising
from polyvox.demo.scenario import SLUG, build_demo_process
from polyvox.drafts.models import DraftVersion, Section
from polyvox.joint_statements.models import JointStatement, Signature
from polyvox.notifications.services import notify
from polyvox.organisations.models import Organisation
from polyvox.participants.models import Profile, StakeholderGroup, User
from polyvox.processes.models import Membership, Process, Role
from polyvox.record.keys import create_signing_key
from polyvox.record.services import append_entry, integrate_pending
from polyvox.statements.models import Statement, StatementStatus, Vote
from polyvox.statements.services import refresh_opinion_map

LETTER = (
    "We ask the forum to keep licence-exempt spectrum open for community networks, and to "
    "let small operators use the universal service fund on the same terms as large ones."
)
GROUPS = [group.value for group in StakeholderGroup]


@dataclass
class World:
    """The demo consultation and the people and things the pages are asked about."""

    process: Process
    sofia: User
    version: DraftVersion
    statements: list[Statement]
    joint_statement: JointStatement
    caucus: Caucus
    work: Path
    grown: int = 0

    def path(self, template: str) -> str:
        """`template` with {p}, {api}, {draft}, {v}, {input}, {campaign}, {caucus}, {joint},
        {sid} and {sofia} filled in from the data as it is now."""
        first = (
            Contribution.objects.filter(process=self.process, parent__isnull=True)
            .order_by("pk")
            .first()
        )
        campaign = Campaign.objects.filter(process=self.process).order_by("-size", "pk").first()
        return template.format(
            p=f"/p/{self.process.slug}",
            api=f"/api/v1/processes/{self.process.slug}",
            draft=self.version.draft.slug,
            v=self.version.number,
            input=first.tracking_number if first else "none",
            campaign=campaign.pk if campaign else 0,
            caucus=self.caucus.slug,
            joint=self.joint_statement.pk,
            sid=self.statements[0].pk,
            sofia=self.sofia.username,
        )


def _profiles(users: list[User], start: int) -> None:
    Profile.objects.bulk_create(
        Profile(
            user=user,
            display_name=f"Voice {start + n}",
            stakeholder_group=GROUPS[(start + n) % len(GROUPS)],
            country=("KE", "BR", "IN", "DE", "MX")[(start + n) % 5],
        )
        for n, user in enumerate(users)
    )


def _import(world: World, n: int, start: int) -> None:
    path = world.work / f"submissions-{start}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["external_id", "text", "author_name", "stakeholder_group", "country"])
        for i in range(start, start + n):
            text = (
                LETTER if i % 2 else f"Submission {i}: rural backhaul in district {i} needs help."
            )
            writer.writerow([f"scale-{i}", text, f"Author {i}", GROUPS[i % len(GROUPS)], "KE"])
    run = import_submissions(actor=world.sofia, process=world.process, path=path)
    assert run.rows_ok == n, run.errors


def grow(world: World, n: int) -> None:
    """Add `n` of everything that grows with participation (see the module docstring)."""
    start = world.grown
    world.grown += n
    process, sofia = world.process, world.sofia
    users = User.objects.bulk_create(
        User(
            username=f"voice{start + i}",
            email=f"voice{start + i}@example.org",
            email_verified_at=timezone.now(),
        )
        for i in range(n)
    )
    _profiles(users, start)
    Membership.objects.bulk_create(
        Membership(process=process, user=user, role=Role.PARTICIPANT) for user in users
    )
    before = Contribution.objects.filter(process=process).aggregate(last=Max("pk"))["last"] or 0
    _import(world, n, start)
    new = list(
        Contribution.objects.filter(process=process, kind="submission", pk__gt=before)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Disposition.objects.bulk_create(
        Disposition(contribution_id=pk, outcome="noted", reason="Considered.", decided_by=sofia)
        for pk in new[::3]
    )
    ProposedAnswer.objects.bulk_create(
        ProposedAnswer(contribution_id=pk, outcome="noted", reason="Soon.", proposed_by=sofia)
        for pk in new[1::10]
    )
    sections = list(Section.objects.filter(version=world.version).order_by("order")[:3])
    first = Contribution.objects.filter(process=process, parent__isnull=True).order_by("pk")[0]
    for i, user in enumerate(users[: max(1, n // 5)]):
        comment = submit_contribution(
            author=user,
            process=process,
            kind="comment",
            section=sections[i % len(sections)],
            body=f"Comment {start + i} on this section.",
        )
        submit_contribution(
            author=sofia, process=process, kind="reply", parent=comment, body="Thank you."
        )
        submit_contribution(author=user, process=process, kind="reply", parent=first, body="+1")
    detect_campaigns(actor=sofia, process=process)
    new_statements = Statement.objects.bulk_create(
        Statement(process=process, text=f"Statement {start + i}.", status=StatementStatus.ACCEPTED)
        for i in range(max(1, n // 5))
    )
    Vote.objects.bulk_create(
        Vote(statement=s, participant=u, value=(u.pk + s.pk) % 3 - 1)
        for u, s in itertools.product(users, [*world.statements, *new_statements])
    )
    refresh_opinion_map(process=process)
    now = timezone.now()
    Signature.objects.bulk_create(
        Signature(
            statement=world.joint_statement,
            signer=user,
            signer_name=f"Voice {start + i}",
            stakeholder_group=GROUPS[(start + i) % len(GROUPS)],
            country="KE",
            signed_at=now,
        )
        for i, user in enumerate(users)
    )
    CaucusMembership.objects.bulk_create(
        CaucusMembership(
            caucus=world.caucus,
            user=user,
            role=CaucusRole.MEMBER,
            status=CaucusMembershipStatus.APPROVED,
            decided_at=now,
        )
        for user in users
    )
    Organisation.objects.bulk_create(
        Organisation(
            name=f"Network {start + i}",
            slug=f"network-{start + i}",
            stakeholder_group=StakeholderGroup.CIVIL_SOCIETY,
            country="KE",
        )
        for i in range(max(1, n // 5))
    )
    for i in range(n):
        append_entry(process=process, kind="scale.test", payload={"number": start + i})
    integrate_pending()
    for i in range(n):
        notify(recipients=[sofia], subject="New inputs", body=f"Input {start + i}.", url="/")


@pytest.fixture(scope="module")
def world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The demo consultation with statements and votes, rolled back after the module."""
    work = tmp_path_factory.mktemp("scale")
    key = work / "record.key"
    create_signing_key(key, "polyvox.test")
    with (
        django_db_blocker.unblock(),
        override_settings(POLYVOX_RECORD_KEY_FILE=key, MEDIA_ROOT=work / "media"),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            process = build_demo_process(seed=0)
            build_organising(process=process)
            sofia = User.objects.get(username="sofia")
            statements = [
                Statement.objects.create(
                    process=process, text=text, status=StatementStatus.ACCEPTED, author=sofia
                )
                for text in ("Spectrum should be shared.", "Fees should scale with size.")
            ]
            integrate_pending()
            yield World(
                process=Process.objects.get(slug=SLUG),
                sofia=sofia,
                version=DraftVersion.objects.filter(draft__process=process).order_by("number")[0],
                statements=statements,
                joint_statement=JointStatement.objects.filter(process=process).order_by("pk")[0],
                caucus=Caucus.objects.get(process=process),
                work=work,
            )
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def grown_world(world: World, db: None, settings: Any) -> World:
    """The module's world, in this test's savepoint, with the record key of the module."""
    settings.POLYVOX_RECORD_KEY_FILE = world.work / "record.key"
    world.grown = 0
    return world
