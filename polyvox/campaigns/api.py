"""JSON API for campaigns: submissions with an Idempotency-Key, and public campaign counts."""

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Header, Query, Router, Schema, Status

from polyvox.campaigns.addresses import network_block
from polyvox.campaigns.models import Source
from polyvox.campaigns.selectors import CampaignSummary, campaign_summary, campaigns_of
from polyvox.campaigns.services.intake import receive_submission
from polyvox.core.api_auth import api_auth
from polyvox.core.api_paging import PAGED, PageIn, page_of
from polyvox.organisations.selectors import organisation_named
from polyvox.participants.http import signed_in_user
from polyvox.processes.selectors import access_process
from polyvox.record.models import RecordEntry
from polyvox.record.selectors import EntryStatus, entry_status

router = Router()


class SubmissionIn(Schema):
    text: str
    title: str = ""
    external_id: str = ""
    # The slug of an organisation the caller is an approved representative of; None: themselves.
    on_behalf_of: str | None = None
    # The public byline: named, alias or anonymous where the identity policy allows pseudonyms.
    publication: str = "named"


class RecordEntryOut(Schema):
    """The submission's public record entry, and where it stands in the process's log."""

    kind: str
    recorded_at: str  # the exact text that is hashed (ISO 8601, UTC)
    index: int | None  # its place in the log; null until integrated (within the merge delay)
    checkpoint_size: int | None  # the latest signed checkpoint covering it; null until one does
    proof_url: str  # its inclusion proof under that checkpoint (site path); "" until then


class SubmissionOut(Schema):
    tracking_number: str
    process: str
    author_name: str
    stakeholder_group: str
    organisation: str  # the byline's organisation; "" unless the submission speaks for one
    organisation_slug: str | None
    title: str
    text: str
    submitted_at: datetime
    record_entry: RecordEntryOut | None  # null only for inputs older than the record entry link


class TallyOut(Schema):
    key: str
    label: str
    count: int


class CampaignOut(Schema):
    """Public: counts and shares only — never members' names or e-mail domains."""

    id: int
    status: str
    size: int
    template_tracking_number: str
    template_text: str
    stakeholder_groups: list[TallyOut]
    regions: list[TallyOut]
    outcome: str


def _campaign_out(summary: CampaignSummary) -> CampaignOut:
    return CampaignOut(
        id=summary.campaign.pk,
        status=summary.campaign.status,
        size=summary.size,
        template_tracking_number=summary.template_tracking_number,
        template_text=summary.template_text,
        stakeholder_groups=[TallyOut(**t.__dict__) for t in summary.by_stakeholder_group],
        regions=[TallyOut(**t.__dict__) for t in summary.by_region],
        outcome=summary.outcome_label,
    )


def _entry_out(entry: RecordEntry, *, just_appended: bool = False) -> RecordEntryOut:
    # An entry appended by this very request is pending: no need to ask the database again.
    status = EntryStatus(None, None, "") if just_appended else entry_status(entry)
    return RecordEntryOut(
        kind=entry.kind,
        recorded_at=entry.recorded_at,
        index=status.index,
        checkpoint_size=status.checkpoint_size,
        proof_url=status.proof_url,
    )


@router.post(
    "/processes/{slug}/submissions",
    response={200: SubmissionOut, 201: SubmissionOut},
    auth=api_auth,
    summary="Send a submission; a retry with the same Idempotency-Key returns it with 200",
)
def create_submission(
    request: HttpRequest,
    slug: str,
    data: SubmissionIn,
    idempotency_key: str = Header("", alias="Idempotency-Key"),  # type: ignore[type-arg]
) -> Status[SubmissionOut]:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    received = receive_submission(
        author=actor,
        process=process,
        text=data.text,
        title=data.title,
        source=Source.API,
        idempotency_key=idempotency_key,
        external_id=data.external_id,
        network=network_block(request.META.get("REMOTE_ADDR", "")),
        email_domain=actor.email or "",
        on_behalf_of=organisation_named(data.on_behalf_of, field="on_behalf_of"),
        publication=data.publication,
    )
    c = received.contribution
    out = SubmissionOut(
        tracking_number=c.tracking_number, process=process.slug, author_name=c.author_name,
        stakeholder_group=c.stakeholder_group,
        organisation=c.organisation if c.on_behalf_of_organisation else "",
        organisation_slug=c.on_behalf_of.slug if c.on_behalf_of else None,
        title=c.title, text=c.body, submitted_at=c.created_at,
        record_entry=(
            _entry_out(c.record_entry, just_appended=received.created) if c.record_entry else None
        ),
    )  # fmt: skip
    return Status(201 if received.created else 200, out)


@router.get(
    "/processes/{slug}/campaigns",
    response=list[CampaignOut],
    openapi_extra=PAGED,
    summary="List a process's campaigns by size, with their template and counts, a page at a "
    "time (Link rel=next, X-Total-Count)",
)
def list_campaigns(
    request: HttpRequest, response: HttpResponse, slug: str, paging: Query[PageIn]
) -> list[CampaignOut]:
    process = access_process(viewer=request.user, slug=slug)
    campaigns = campaigns_of(viewer=request.user, process=process)
    return [
        _campaign_out(campaign_summary(viewer=request.user, campaign=campaign))
        for campaign in page_of(request, response, campaigns, paging)
    ]
