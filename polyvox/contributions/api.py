"""JSON API for contributions: public lists with answers, feedback reports, and posting an input."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from polyvox.contributions.exports import feedback_report_data
from polyvox.contributions.models import Contribution, ContributionKind
from polyvox.contributions.search import search_contributions
from polyvox.contributions.selectors.feedback_report import (
    SECTION_INPUTS_SHOWN,
    feedback_report,
    report_rows_with_answers,
    reported_inputs,
)
from polyvox.contributions.selectors.input_filters import filter_inputs, input_filters
from polyvox.contributions.selectors.public_list import organisation_filter
from polyvox.contributions.selectors.threads import public_contributions
from polyvox.contributions.services.submitting import submit_contribution
from polyvox.core.api_auth import api_auth
from polyvox.core.api_paging import PAGED, TOTAL_HEADER, PageIn, page_of
from polyvox.drafts.models import DraftVersion, Section
from polyvox.organisations.selectors import organisation_family_ids, organisation_named
from polyvox.participants.http import signed_in_user
from polyvox.processes.models import Process
from polyvox.processes.selectors import access_process

router = Router()


class ChangeOut(Schema):
    version: int
    section: str


class DispositionOut(Schema):
    outcome: str
    reason: str
    duplicate_of: str | None
    changes: list[ChangeOut]
    decided_at: datetime


class ContributionOut(Schema):
    """Public fields only: the byline snapshot, never the author's account or private profile."""

    tracking_number: str
    kind: str
    draft: str | None
    version: int | None
    section: str | None
    parent: str | None
    author: str
    stakeholder_group: str
    organisation: str  # the byline's organisation; "" unless the input speaks for one
    organisation_slug: str | None  # that organisation (its page: /organisations/{slug}/)
    title: str
    text: str
    language: str  # the language it is written in (a code of the site's languages); "" if unknown
    submitted_at: datetime
    late: bool
    url: str
    disposition: DispositionOut | None


class ContributionIn(Schema):
    kind: str
    text: str
    title: str = ""
    draft: str | None = None
    version: int | None = None
    section: str | None = None
    parent: str | None = None
    # The slug of an organisation the caller is an approved representative of; None: themselves.
    on_behalf_of: str | None = None
    publication: str = Field(
        "named",
        description="the public byline: named (the display name), alias (the profile's alias) "
        'or anonymous ("Anonymous participant"); alias and anonymous only where the process\'s '
        "identity policy allows pseudonyms, and an input on behalf of an organisation is never "
        "anonymous. The secretariat always sees the verified account.",
    )
    language: str | None = Field(
        None,
        description="the language the text is written in: ar, zh-hans, en, fr, ru or es; by "
        "default the first of the caller's profile languages the site has, else the language "
        "the request asks for (Accept-Language), else en",
    )


class ShareOut(Schema):
    key: str
    label: str
    answered: int
    total: int


class FiguresOut(Schema):
    overall: ShareOut
    by_stakeholder_group: list[ShareOut]
    by_region: list[ShareOut]


class ReportedInputOut(Schema):
    tracking_number: str
    kind: str
    author: str
    stakeholder_group: str
    organisation: str
    organisation_slug: str | None
    section: str | None
    title: str
    text: str
    submitted_at: datetime
    late: bool
    outcome: str | None
    reason: str
    duplicate_of: str | None
    changes: list[ChangeOut]


class SectionInputsOut(Schema):
    section: str
    heading: str
    inputs: list[str] = Field(description="The first 50 of them, in the report's order.")
    inputs_total: int = Field(description="How many inputs' answers changed this section.")


class FeedbackReportOut(Schema):
    process: str
    draft: str
    draft_title: str
    version: int
    next_version: int | None
    inputs: list[ReportedInputOut]
    next_version_sections: list[SectionInputsOut]
    figures: FiguresOut
    joint_statements: list[dict[str, Any]] = Field(
        default=[],
        description="The process's published joint statements, each with its dissenting and "
        "supplementary statements beside it and its signatories counted by stakeholder group "
        "and region (the shape of GET /processes/{slug}/joint-statements/{id}).",
    )


def _disposition_out(contribution: Contribution) -> DispositionOut | None:
    disposition = getattr(contribution, "disposition", None)
    if disposition is None:
        return None
    return DispositionOut(
        outcome=disposition.outcome,
        reason=disposition.reason,
        duplicate_of=disposition.duplicate_of.tracking_number if disposition.duplicate_of else None,
        changes=[
            ChangeOut(version=s.version.number, section=s.anchor)
            for s in disposition.changed_sections.all()
        ],
        decided_at=disposition.updated_at,
    )


def _contribution_out(contribution: Contribution) -> ContributionOut:
    version = contribution.draft_version
    return ContributionOut(
        tracking_number=contribution.tracking_number,
        kind=contribution.kind,
        draft=version.draft.slug if version else None,
        version=version.number if version else None,
        section=contribution.section.anchor if contribution.section else None,
        parent=contribution.parent.tracking_number if contribution.parent else None,
        author=contribution.author_name,
        stakeholder_group=contribution.stakeholder_group,
        organisation=contribution.organisation if contribution.on_behalf_of_organisation else "",
        organisation_slug=contribution.on_behalf_of.slug if contribution.on_behalf_of else None,
        title=contribution.title,
        text=contribution.body,
        language=contribution.language,
        submitted_at=contribution.created_at,
        late=contribution.is_late,
        url=contribution.get_absolute_url(),
        disposition=_disposition_out(contribution),
    )


@router.get(
    "/processes/{slug}/contributions",
    response=list[ContributionOut],
    openapi_extra=PAGED,
    summary="List the visible contributions of a process with their dispositions, oldest first, "
    "a page at a time (Link rel=next, X-Total-Count); q searches the text; answered, kind, "
    "stakeholder_group, since, section, organisation and language filter",
)
def list_contributions(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    paging: Query[PageIn],
    q: str = "",
    kind: str = Query("", description="comment, general, omission, submission or reply"),  # type: ignore[type-arg]
    section: str = Query("", description="a section's anchor: inputs on that section"),  # type: ignore[type-arg]
    organisation: str = Query("", description="an organisation's slug: inputs on its behalf"),  # type: ignore[type-arg]
    answered: str = Query("", description="yes: inputs with a published answer; no: without"),  # type: ignore[type-arg]
    stakeholder_group: str = Query("", description="the author's declared stakeholder group"),  # type: ignore[type-arg]
    since: str = Query(  # type: ignore[type-arg]
        "",
        description="submitted at or after: an ISO 8601 date (from midnight UTC) or date-time",
    ),
    language: str = Query("", description="written in: ar, zh-hans, en, fr, ru or es"),  # type: ignore[type-arg]
) -> list[ContributionOut]:
    filters = input_filters(
        answered=answered,
        kind=kind,
        stakeholder_group=stakeholder_group,
        since=since,
        language=language,
    )
    process = access_process(viewer=request.user, slug=slug)
    contributions = filter_inputs(
        public_contributions(viewer=request.user, process=process), filters
    )
    if section:
        contributions = contributions.filter(section__anchor=section)
    if organisation:
        speaking_for = organisation_filter(organisation)
        contributions = (
            contributions.filter(on_behalf_of_id__in=organisation_family_ids(speaking_for))
            if speaking_for is not None
            else contributions.none()
        )
    contributions = search_contributions(contributions, q)
    return [_contribution_out(c) for c in page_of(request, response, contributions, paging)]


@router.get(
    "/processes/{slug}/drafts/{draft}/versions/{number}/feedback",
    response=FeedbackReportOut,
    openapi_extra=PAGED,
    summary="Read the feedback report of a draft version: its figures, the sections of the next "
    "version with the inputs that changed them (the first 50 of each, and their count), and one "
    "page of its inputs with their answers and changes, oldest first, each campaign once "
    "(Link rel=next, X-Total-Count); every input at once is the download "
    "/p/{slug}/drafts/{draft}/v{number}/feedback.json",
)
def read_feedback_report(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    draft: str,
    number: int,
    paging: Query[PageIn],
) -> dict[str, Any]:
    process = access_process(viewer=request.user, slug=slug)
    version = get_object_or_404(
        DraftVersion.objects.published(), draft__process=process, draft__slug=draft, number=number
    )
    report = feedback_report(version=version, section_inputs_shown=SECTION_INPUTS_SHOWN)
    # The figures counted the entries already: no second count of the same rows.
    rows = page_of(request, response, report_rows_with_answers(version), paging, count=False)
    response[TOTAL_HEADER] = str(report.overall.total)
    data = feedback_report_data(report, inputs=reported_inputs(rows))
    for section, shown in zip(
        data["next_version_sections"], report.next_version_sections, strict=True
    ):
        section["inputs_total"] = shown.count
    return data


def _anchor_of(
    process: Process, data: ContributionIn
) -> tuple[DraftVersion | None, Section | None]:
    if data.draft is None:
        if data.section is not None:
            raise ValidationError({"section": _("Name the draft and version of this section.")})
        return None, None
    versions = DraftVersion.objects.published().filter(
        draft__process=process, draft__slug=data.draft
    )
    version = (
        versions.filter(number=data.version).first()
        if data.version is not None
        else versions.order_by("-number").first()
    )
    if version is None:
        raise ValidationError({"version": _("No such draft version in this process.")})
    if data.section is None:
        return version, None
    section = version.sections.filter(anchor=data.section).first()
    if section is None:
        raise ValidationError({"section": _("No section with this anchor in that version.")})
    return version, section


class RefusedOut(Schema):
    error: str
    fields: dict[str, list[str]]


@router.post(
    "/processes/{slug}/contributions",
    response={201: ContributionOut, 422: RefusedOut},
    auth=api_auth,
    summary="Post a comment, general comment, omission or reply as the signed-in participant "
    "(same rules as the web form); submissions go to the submissions endpoint (422 here)",
)
def create_contribution(
    request: HttpRequest, slug: str, data: ContributionIn
) -> Status[ContributionOut] | Status[RefusedOut]:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    if data.kind == ContributionKind.SUBMISSION:
        # Submissions have one write path, the intake (idempotency, signals, campaigns).
        message = _(
            "Submissions are received at POST /api/v1/processes/%(slug)s/submissions "
            "(with an Idempotency-Key), not here."
        ) % {"slug": process.slug}
        return Status(422, RefusedOut(error=message, fields={"kind": [message]}))
    version, section = _anchor_of(process, data)
    parent = None
    if data.parent:
        parent = (
            Contribution.objects.public()
            .filter(process=process, tracking_number=data.parent)
            .first()
        )
        if parent is None:
            raise ValidationError(
                {"parent": _("No visible contribution with this tracking number.")}
            )
    contribution = submit_contribution(
        author=actor,
        process=process,
        kind=data.kind,
        body=data.text,
        title=data.title,
        section=section,
        draft_version=version,
        parent=parent,
        on_behalf_of=organisation_named(data.on_behalf_of, field="on_behalf_of"),
        publication=data.publication,
        language=data.language,
    )
    return Status(201, _contribution_out(contribution))
