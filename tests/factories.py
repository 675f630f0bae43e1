"""Test data in one place: factory_boy factories, and helpers that build rows or call services.

Randomness is seeded by factory_boy's sequence. Helpers that go through a service
(`submit_comment`, `send_submission`…) run every rule that service runs.
"""

from datetime import timedelta

import factory
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from polyvox.campaigns.services.intake import receive_submission
from polyvox.caucuses.models import Caucus, CaucusMembership, CaucusMembershipStatus, CaucusRole
from polyvox.contributions.models import Contribution
from polyvox.contributions.services.submitting import submit_contribution
from polyvox.drafts.models import Draft, DraftVersion, Section
from polyvox.organisations.models import (
    Organisation,
    Representative,
    RepresentativeRole,
    RepresentativeStatus,
)
from polyvox.outcomes.models import Recommendation
from polyvox.participants.models import Profile, StakeholderGroup, StatementOfInterest, User
from polyvox.processes.models import Membership, Phase, Process, Role
from polyvox.processes.phase_types import PhaseKind
from polyvox.statements.models import Statement, StatementStatus, Vote

# The smallest file that starts like a PDF: enough for type detection, built here.
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


# People and processes ----------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"participant{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def profile(
        self: User, create: bool, extracted: dict[str, object] | None, **kwargs: object
    ) -> None:
        if create:
            Profile.objects.create(
                user=self,
                display_name=self.username.title(),
                stakeholder_group=(extracted or {}).get(
                    "stakeholder_group", StakeholderGroup.CIVIL_SOCIETY
                ),
                country=(extracted or {}).get("country", "KE"),
                languages=(extracted or {}).get("languages", []),
            )
            self.save()


class ProcessFactory(factory.django.DjangoModelFactory[Process]):
    class Meta:
        model = Process

    slug = factory.Sequence(lambda n: f"process-{n}")
    title = factory.Sequence(lambda n: f"Consultation {n}")
    mandate = "Gather inputs on the draft principles."
    languages = factory.LazyFunction(lambda: ["en"])
    created_by = factory.SubFactory(UserFactory, is_staff=True)


class PhaseFactory(factory.django.DjangoModelFactory[Phase]):
    """An open draft-comment phase by default: started an hour ago, ends in a week."""

    class Meta:
        model = Phase

    process = factory.SubFactory(ProcessFactory)
    kind = PhaseKind.DRAFT_COMMENT
    title = "Comments on the draft"
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


def close_phase(phase: Phase, *, days_ago: int = 1) -> None:
    """The phase ran for a week and ended `days_ago` days ago."""
    phase.starts_at = timezone.now() - timedelta(days=days_ago + 7)
    phase.ends_at = timezone.now() - timedelta(days=days_ago)
    phase.save()


def make_secretariat(process: Process, **kwargs: object) -> User:
    user = UserFactory(**kwargs)
    Membership.objects.create(process=process, user=user, role=Role.SECRETARIAT)
    return user


def invite(process: Process, user: User) -> User:
    """`user`, made a participant member of `process` (invited)."""
    Membership.objects.create(process=process, user=user, role=Role.PARTICIPANT)
    return user


def make_voters(n: int, prefix: str, **profile: object) -> list[User]:
    """`n` users of one stakeholder group (and optionally organisation)."""
    users = [
        UserFactory(
            username=f"{prefix}{i}", profile={"stakeholder_group": "civil_society", **profile}
        )
        for i in range(n)
    ]
    if "organisation" in profile:
        for user in users:
            user.profile.organisation = profile["organisation"]
            user.profile.save()
    return users


def declare_interests(user: User) -> StatementOfInterest:
    return StatementOfInterest.objects.create(user=user, affiliations="Community Network Alliance")


# Drafts ------------------------------------------------------------------------------------------


def make_version(
    process: Process,
    *,
    number: int = 1,
    anchors: tuple[str, ...] = ("scope", "access"),
    draft: Draft | None = None,
) -> DraftVersion:
    """Version `number` of the process's draft "principles", with one section per anchor.

    Built with the ORM, without the drafts services (no Markdown, no record entry).
    """
    if draft is None:
        draft, _created = Draft.objects.get_or_create(
            process=process, slug="principles", defaults={"title": "Draft principles"}
        )
    version = DraftVersion.objects.create(
        draft=draft,
        number=number,
        source_markdown="",
        published_at=timezone.now(),
        published_by=process.created_by,
    )
    for order, anchor in enumerate(anchors, start=1):
        Section.objects.create(
            version=version,
            anchor=anchor,
            order=order,
            level=0,
            heading=anchor.title(),
            text=f"Text of {anchor} in v{number}.",
        )
    return version


# Contributions (through the service) -------------------------------------------------------------


def submit_comment(
    author: User, section: Section, body: str = "A point.", **kwargs: object
) -> Contribution:
    """A comment on `section`, in the process of its draft."""
    return submit_contribution(
        author=author,
        process=section.version.draft.process,
        kind="comment",
        body=body,
        section=section,
        **kwargs,
    )


def submit_reply(author: User, parent: Contribution, body: str = "A reply.") -> Contribution:
    return submit_contribution(
        author=author, process=parent.process, kind="reply", body=body, parent=parent
    )


def submit_to_version(
    author: User, version: DraftVersion, body: str, *, kind: str = "submission"
) -> Contribution:
    """A contribution on the whole draft version: a submission unless `kind` says otherwise."""
    return submit_contribution(
        author=author,
        process=version.draft.process,
        kind=kind,
        body=body,
        draft_version=version,
    )


def send_submission(process: Process, text: str, username: str, **kwargs: object) -> Contribution:
    """A new participant `username` sends `text` through campaign intake (web form by default)."""
    author = UserFactory(username=username)
    return receive_submission(author=author, process=process, text=text, **kwargs).contribution


def contribution_url(name: str, process: Process, **kwargs: object) -> str:
    """The URL of the contributions page `name` of `process` (e.g. "comment", "workbench")."""
    return reverse(f"contributions:{name}", kwargs={"slug": process.slug, **kwargs})


# Statements and votes ----------------------------------------------------------------------------


def make_statement(process: Process, text: str, **kwargs: object) -> Statement:
    """A statement row, accepted unless `status` says otherwise (no service, no record entry)."""
    return Statement.objects.create(
        process=process,
        text=text,
        status=kwargs.pop("status", StatementStatus.ACCEPTED),
        **kwargs,
    )


def vote_all(users: list[User], statements: list[Statement], values: list[int]) -> None:
    """Direct rows, for selectors' arrangements (the service is tested separately)."""
    Vote.objects.bulk_create(
        Vote(statement=s, participant=u, value=v)
        for u in users
        for s, v in zip(statements, values, strict=True)
    )


# Organisations and caucuses ----------------------------------------------------------------------


def make_organisation(
    name: str = "Rhizomatica", *, admin: User | None = None, **fields: object
) -> Organisation:
    """An unverified organisation; `admin`, if given, is its approved administrator."""
    defaults: dict[str, object] = {
        "slug": slugify(name) or "organisation",
        "stakeholder_group": StakeholderGroup.CIVIL_SOCIETY,
        "country": "MX",
    }
    organisation = Organisation.objects.create(name=name, **{**defaults, **fields})
    if admin is not None:
        approve_representative(organisation, admin, role=RepresentativeRole.ADMINISTRATOR)
    return organisation


def approve_representative(
    organisation: Organisation,
    user: User,
    *,
    role: RepresentativeRole = RepresentativeRole.REPRESENTATIVE,
) -> Representative:
    """`user`, already approved to speak for `organisation` (as its services would leave it)."""
    return Representative.objects.create(
        organisation=organisation,
        user=user,
        role=role,
        status=RepresentativeStatus.APPROVED,
        decided_at=timezone.now(),
    )


def make_caucus(
    process: Process, facilitator: User, name: str = "Civil society caucus", **fields: object
) -> Caucus:
    """A caucus of `process` with `facilitator` as its approved facilitator."""
    caucus = Caucus.objects.create(
        process=process, name=name, slug=slugify(name), created_by=facilitator, **fields
    )
    add_caucus_member(caucus, facilitator, role=CaucusRole.FACILITATOR)
    return caucus


def add_caucus_member(
    caucus: Caucus, user: User, *, role: CaucusRole = CaucusRole.MEMBER
) -> CaucusMembership:
    """`user`, an approved member of `caucus`."""
    return CaucusMembership.objects.create(
        caucus=caucus,
        user=user,
        role=role,
        status=CaucusMembershipStatus.APPROVED,
        decided_at=timezone.now(),
    )


# Outcomes and commitments ------------------------------------------------------------------------


def make_chair(process: Process, **kwargs: object) -> User:
    user = UserFactory(**kwargs)
    Membership.objects.create(process=process, user=user, role=Role.CHAIR)
    return user


def open_decision_phase(process: Process) -> Phase:
    """A decision phase of `process`, open now (started an hour ago, ends in a week)."""
    return PhaseFactory(process=process, kind=PhaseKind.DECISION, title="Decision")


def make_recommendation(
    process: Process,
    title: str = "Publish every draft in all six UN languages",
    *,
    sections: tuple[Section, ...] = (),
    **fields: object,
) -> Recommendation:
    """A recommendation of `process`, numbered after the last one, linked to `sections`."""
    number = process.recommendations.count() + 1
    recommendation = Recommendation.objects.create(
        process=process,
        number=number,
        title=title,
        text=fields.pop("text", f"The secretariat should: {title.lower()}."),
        created_by=fields.pop("created_by", None) or process.created_by,
        **fields,
    )
    recommendation.sections.set(sections)
    return recommendation
