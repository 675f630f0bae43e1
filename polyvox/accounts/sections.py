"""What the accounts app adds: the personal-data sections of the apps below it.

Each provider reads one table (or one join) with `.values()` and `.iterator()`, so a section is
one query however many rows it has. What is in each is what the person gave or what was decided
about them; never another person's private data (the notes of the secretariat are not theirs)."""

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import F, Q, QuerySet

from polyvox.accounts.models import ApiToken
from polyvox.accounts.personal_data import CHUNK, Provider, register
from polyvox.caucuses.models import CaucusMembership, CaucusPost, CaucusThread
from polyvox.commitments.models import Commitment, CommitmentUpdate, Contestation
from polyvox.contributions.models import Contribution, ContributionRevision
from polyvox.core.sections import PageSection
from polyvox.joint_statements.models import JointStatement, Signature
from polyvox.moderation.models import Appeal, Flag, ModerationAction
from polyvox.notifications.models import (
    EmailLanguage,
    Follow,
    Notification,
    NotificationPreference,
)
from polyvox.organisations.models import Organisation, Representative
from polyvox.outcomes.models import Elector, Objection, Position, PositionRevision
from polyvox.participants.models import Consent, Profile, StatementOfInterest, User
from polyvox.participants.pages import PROFILE_PAGE
from polyvox.processes.models import Invitation, Membership, ProcessTranslation
from polyvox.statements.models import Statement, Vote, VoteRevision


def _rows(queryset: QuerySet[Any, Any]) -> Iterator[dict[str, Any]]:
    """The rows of a `.values()` queryset, read `CHUNK` at a time."""
    for row in queryset.iterator(chunk_size=CHUNK):
        yield dict(row)


def account(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        User.objects.filter(pk=user.pk).values(
            "username", "email", "first_name", "last_name", "date_joined", "last_login",
            "email_verified_at", "closed_at", "is_active",
        )
    )  # fmt: skip


def profile(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        Profile.objects.filter(user=user).values(
            "display_name", "alias", "stakeholder_group", "subgroup", "organisation", "country",
            "languages", "interests", "gender", "timezone", "created_at", "updated_at",
        )
    )  # fmt: skip


def consents(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        Consent.objects.filter(user=user)
        .order_by("pk")
        .values("document", "version", "accepted_at")
    )


def statements_of_interest(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        StatementOfInterest.objects.filter(user=user)
        .order_by("pk")
        .values("affiliations", "funding", "interests", "declared_at")
    )


def memberships(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        Membership.objects.filter(user=user)
        .order_by("pk")
        .values("role", "created_at", process_slug=F("process__slug"))
    )


def invitations(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        Invitation.objects.filter(accepted_by=user)
        .order_by("pk")
        .values("email", "role", "created_at", "accepted_at", process_slug=F("process__slug"))
    )


def contributions(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        Contribution.objects.filter(author=user)
        .order_by("pk")
        .values(
            "tracking_number", "kind", "title", "body", "author_name", "stakeholder_group",
            "country", "organisation", "publication", "attachment_name", "is_late",
            "created_at", "updated_at", "hidden_at", "hidden_reason_code", "hidden_reason",
            process_slug=F("process__slug"),
            on_behalf_of_slug=F("on_behalf_of__slug"),
            parent_tracking_number=F("parent__tracking_number"),
            disposition_outcome=F("disposition__outcome"),
            disposition_reason=F("disposition__reason"),
        )
    )  # fmt: skip


def contribution_revisions(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        ContributionRevision.objects.filter(contribution__author=user)
        .order_by("pk")
        .values(
            "number", "title", "body", "created_at",
            tracking_number=F("contribution__tracking_number"),
        )
    )  # fmt: skip


def votes(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        Vote.objects.filter(participant=user)
        .order_by("pk")
        .values(
            "value", "created_at", "updated_at", "statement_id",
            statement_text=F("statement__text"),
            process_slug=F("statement__process__slug"),
        )
    )  # fmt: skip


def vote_revisions(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        VoteRevision.objects.filter(vote__participant=user)
        .order_by("pk")
        .values("value", "cast_at", "replaced_at", statement_id=F("vote__statement__pk"))
    )


def statements(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        Statement.objects.filter(author=user)
        .order_by("pk")
        .values(
            "id", "text", "status", "moderation_reason", "moderated_at", "hidden_at",
            "hidden_reason_code", "hidden_reason", "created_at", process_slug=F("process__slug"),
        )
    )  # fmt: skip


def organisation_memberships(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        Representative.objects.filter(user=user)
        .order_by("pk")
        .values(
            "role", "status", "message", "decided_at", "reason", "created_at",
            organisation_slug=F("organisation__slug"), organisation_name=F("organisation__name"),
        )
    )  # fmt: skip


def organisations_registered(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        Organisation.objects.filter(registered_by=user)
        .order_by("pk")
        .values("slug", "name", "stakeholder_group", "country", "website", "created_at")
    )


def joint_statements(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        JointStatement.objects.filter(author=user)
        .order_by("pk")
        .values(
            "id", "relation", "title", "body", "author_name", "status", "published_at",
            "created_at", process_slug=F("process__slug"),
            organisation_slug=F("organisation__slug"),
        )
    )  # fmt: skip


def signatures(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        Signature.objects.filter(signer=user)
        .order_by("pk")
        .values(
            "signer_name", "organisation_name", "stakeholder_group", "country", "signed_at",
            "withdrawn_at", "withdrawal_reason",
            joint_statement_id=F("statement__pk"), joint_statement_title=F("statement__title"),
            process_slug=F("statement__process__slug"),
        )
    )  # fmt: skip


def caucus_memberships(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        CaucusMembership.objects.filter(user=user)
        .order_by("pk")
        .values(
            "role", "status", "message", "decided_at", "created_at",
            caucus_name=F("caucus__name"), process_slug=F("caucus__process__slug"),
        )
    )  # fmt: skip


def caucus_threads(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        CaucusThread.objects.filter(author=user)
        .order_by("pk")
        .values("id", "title", "published_at", "created_at", caucus_name=F("caucus__name"))
    )


def caucus_posts(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        CaucusPost.objects.filter(author=user)
        .order_by("pk")
        .values("body", "created_at", thread_title=F("thread__title"))
    )


def commitments(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        Commitment.objects.filter(owner=user)
        .order_by("pk")
        .values(
            "id", "title", "description", "owner_name", "due_on", "status", "created_at",
            process_slug=F("process__slug"), organisation_slug=F("organisation__slug"),
        )
    )  # fmt: skip


def commitment_updates(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        CommitmentUpdate.objects.filter(author=user)
        .order_by("pk")
        .values(
            "author_name", "status", "text", "evidence", "reason", "created_at",
            "commitment_id",
        )
    )  # fmt: skip


def contestations(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        Contestation.objects.filter(author=user)
        .order_by("pk")
        .values(
            "author_name", "reason", "created_at", "answer", "answered_at",
            commitment_id=F("update__commitment__pk"),
        )
    )  # fmt: skip


def objections(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        Objection.objects.filter(author=user)
        .order_by("pk")
        .values(
            "author_name", "reason", "created_at", "withdrawn_at", "designation_id",
            recommendation_number=F("designation__recommendation__number"),
            process_slug=F("designation__recommendation__process__slug"),
        )
    )  # fmt: skip


def positions(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        Position.objects.filter(author=user)
        .order_by("pk")
        .values(
            "position", "reason", "updated_at",
            recommendation_number=F("recommendation__number"),
            process_slug=F("recommendation__process__slug"),
        )
    )  # fmt: skip


def position_revisions(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        PositionRevision.objects.filter(author=user)
        .order_by("pk")
        .values(
            "position", "reason", "recorded_at",
            recommendation_number=F("recommendation__number"),
            process_slug=F("recommendation__process__slug"),
        )
    )  # fmt: skip


def elector_seats(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        Elector.objects.filter(user=user)
        .order_by("pk")
        .values("voter", "group", process_slug=F("process__slug"))
    )


def notifications(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        Notification.objects.filter(recipient=user)
        .order_by("pk")
        .values("subject", "body", "url", "created_at", "read_at")
    )


def follows(user: User) -> Iterable[dict[str, Any]]:
    """Processes followed with the account, and any followed by e-mail at the account's address."""
    address = (user.email or "").strip().lower()
    followed = Q(user=user) | Q(email=address) if address else Q(user=user)
    return _rows(
        Follow.objects.filter(followed)
        .order_by("pk")
        .values(
            "email", "mode", "language", "created_at", "confirmed_at",
            process_slug=F("process__slug"),
        )
    )  # fmt: skip


def notification_preferences(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        NotificationPreference.objects.filter(user=user)
        .order_by("pk")
        .values("kind", "mode", "updated_at")
    )


def email_language(user: User) -> Iterable[dict[str, Any]]:
    """The language the person chose (or that was taken from the page) for their e-mails."""
    return _rows(EmailLanguage.objects.filter(user=user).values("language", "updated_at"))


def process_translations(user: User) -> Iterable[dict[str, Any]]:
    """Language versions of process texts the person published as a translator."""
    return _rows(
        ProcessTranslation.objects.filter(translated_by=user)
        .order_by("pk")
        .values("language", "title", "updated_at", process_slug=F("process__slug"))
    )


def api_tokens(user: User) -> Iterable[dict[str, Any]]:
    """Names and prefixes only: the key was shown once and is not kept; its hash is no use."""
    return _rows(
        ApiToken.objects.filter(user=user)
        .order_by("pk")
        .values(
            "name", "prefix", "scope", "created_at", "last_used_at", "revoked_at",
            process_slug=F("process__slug"),
        )
    )  # fmt: skip


def moderation_flags(user: User) -> Iterable[dict[str, Any]]:
    """Flags the person raised (who flagged them is never theirs to see, nor anyone's)."""
    return _rows(
        Flag.objects.filter(flagger=user)
        .order_by("pk")
        .values(
            "reason_code", "text", "status", "created_at", "resolved_at", "statement_id",
            process_slug=F("process__slug"), tracking_number=F("contribution__tracking_number"),
        )
    )  # fmt: skip


def moderation_actions(user: User) -> Iterable[dict[str, Any]]:
    """Actions about the person's items or themself, with the reasons they were given; not the
    moderator's identity, which the author is not shown either."""
    return _rows(
        ModerationAction.objects.filter(author=user)
        .order_by("pk")
        .values(
            "action", "reason_code", "text", "skipped_step_reason", "restricted_until",
            "reversed_at", "created_at", "statement_id",
            process_slug=F("process__slug"), tracking_number=F("contribution__tracking_number"),
        )
    )  # fmt: skip


def moderation_appeals(user: User) -> Iterable[dict[str, Any]]:
    return _rows(
        Appeal.objects.filter(appellant=user)
        .order_by("pk")
        .values(
            "text", "status", "created_at", "decision_text", "decided_at",
            appealed_action=F("action__action"), appealed_reason_code=F("action__reason_code"),
        )
    )  # fmt: skip


PROVIDERS: dict[str, Provider] = {
    "account": account,
    "profile": profile,
    "consents": consents,
    "statements_of_interest": statements_of_interest,
    "memberships": memberships,
    "invitations": invitations,
    "contributions": contributions,
    "contribution_revisions": contribution_revisions,
    "votes": votes,
    "vote_revisions": vote_revisions,
    "statements": statements,
    "organisation_memberships": organisation_memberships,
    "organisations_registered": organisations_registered,
    "joint_statements": joint_statements,
    "signatures": signatures,
    "caucus_memberships": caucus_memberships,
    "caucus_threads": caucus_threads,
    "caucus_posts": caucus_posts,
    "commitments": commitments,
    "commitment_updates": commitment_updates,
    "contestations": contestations,
    "objections": objections,
    "positions": positions,
    "position_revisions": position_revisions,
    "elector_seats": elector_seats,
    "notifications": notifications,
    "follows": follows,
    "notification_preferences": notification_preferences,
    "email_language": email_language,
    "process_translations": process_translations,
    "api_tokens": api_tokens,
    "moderation_flags": moderation_flags,
    "moderation_actions": moderation_actions,
    "moderation_appeals": moderation_appeals,
}


def _account_links(*, request: Any, user: User) -> dict[str, Any]:
    return {}


def register_sections() -> None:
    """Called by `AccountsConfig.ready()`."""
    for name, provider in PROVIDERS.items():
        register(name, provider)
    PROFILE_PAGE.register(
        PageSection("accounts", 10, "accounts/_profile_links.html", _account_links)
    )
