"""Drafts, versions and sections built with the ORM, until the drafts services exist."""

from django.utils import timezone

from polyvox.drafts.models import Draft, DraftVersion, Section
from polyvox.participants.models import StatementOfInterest, User
from polyvox.processes.models import Process


def make_version(
    process: Process,
    *,
    number: int = 1,
    anchors: tuple[str, ...] = ("scope", "access"),
    draft: Draft | None = None,
) -> DraftVersion:
    """Version `number` of the process's draft "principles", with one section per anchor."""
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


def declare_interests(user: User) -> StatementOfInterest:
    return StatementOfInterest.objects.create(user=user, affiliations="Community Network Alliance")
