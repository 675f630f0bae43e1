"""JSON API for processes and their phases: public reads; the secretariat edits and reschedules."""

from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from polyvox.core.api_auth import api_auth
from polyvox.core.api_paging import PAGED, PageIn, page_of
from polyvox.participants.http import signed_in_user
from polyvox.processes.models import Phase, PhaseTranslation, Process, ProcessTranslation
from polyvox.processes.selectors import access_process, original_language, processes_for
from polyvox.processes.services.editing import edit_process
from polyvox.processes.services.scheduling import reschedule_phase

router = Router()


class PhaseTranslationOut(Schema):
    """A phase's title and description in one language (never who translated it)."""

    language: str
    title: str
    description: str


class PhaseOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    status: str
    # Public: why the phase is shorter than its template's minimum ("" when it is not).
    short_schedule_reason: str
    translations: list[PhaseTranslationOut]

    @staticmethod
    def resolve_status(obj: Phase) -> str:
        return obj.status(timezone.now())

    @staticmethod
    def resolve_translations(obj: Phase) -> list[PhaseTranslation]:
        return sorted(obj.translations.all(), key=lambda t: t.language)


class ProcessSummaryOut(Schema):
    slug: str
    title: str
    decision_mode: str
    identity_policy: str
    participation_policy: str
    languages: list[str]


class ProcessTranslationOut(Schema):
    """The process texts in one of its languages (docs/languages.md)."""

    language: str
    title: str
    mandate: str
    how_it_works: str
    updated_at: datetime


class ProcessOut(ProcessSummaryOut):
    mandate: str
    how_it_works: str
    original_language: str = Field(
        description="the language of title, mandate and phases: the first of `languages`"
    )
    translations: list[ProcessTranslationOut]
    requires_statement_of_interest: bool
    accepts_late_inputs: bool
    phases: list[PhaseOut]

    @staticmethod
    def resolve_original_language(obj: Process) -> str:
        return original_language(obj)

    @staticmethod
    def resolve_translations(obj: Process) -> list[ProcessTranslation]:
        return list(obj.translations.order_by("language"))

    @staticmethod
    def resolve_phases(obj: Process) -> list[Phase]:
        # Each phase's translations in one query for all of them.
        return list(obj.phases.prefetch_related("translations"))


@router.get(
    "/processes",
    response=list[ProcessSummaryOut],
    openapi_extra=PAGED,
    summary="List processes, newest first, a page at a time (Link rel=next, X-Total-Count)",
)
def list_processes(
    request: HttpRequest, response: HttpResponse, paging: Query[PageIn]
) -> list[Process]:
    return page_of(request, response, processes_for(viewer=request.user), paging)


@router.get(
    "/processes/{slug}",
    response=ProcessOut,
    summary="Read a process with its phases and their translations into its other languages",
)
def read_process(request: HttpRequest, slug: str) -> Process:
    return access_process(viewer=request.user, slug=slug)


class ProcessEditIn(Schema):
    """Only the settings given change; the short name never does."""

    title: str | None = None
    mandate: str | None = None
    languages: list[str] | None = None
    decision_mode: str | None = None
    identity_policy: str | None = None
    participation_policy: str | None = None
    requires_statement_of_interest: bool | None = None
    accepts_late_inputs: bool | None = None
    how_it_works: str | None = None
    answers_need_review: bool | None = None


class PhaseRescheduleIn(Schema):
    starts_at: datetime
    ends_at: datetime
    reason: str
    short_schedule_reason: str = ""


@router.patch(
    "/processes/{slug}",
    response=ProcessOut,
    auth=api_auth,
    summary="Edit a process's settings (secretariat); public changes go on the record",
)
def patch_process(request: HttpRequest, slug: str, data: ProcessEditIn) -> Process:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    return edit_process(actor=actor, process=process, **data.model_dump(exclude_unset=True))


@router.patch(
    "/processes/{slug}/phases/{phase_id}",
    response=PhaseOut,
    auth=api_auth,
    summary="Move a phase or extend its deadline (secretariat), with a published reason",
)
def patch_phase(request: HttpRequest, slug: str, phase_id: int, data: PhaseRescheduleIn) -> Phase:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    phase = process.phases.filter(pk=phase_id).first()
    if phase is None:
        raise Http404(_("No such phase in this process."))
    return reschedule_phase(actor=actor, phase=phase, **data.model_dump())
