"""JSON API for processes and their phases (all public)."""

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from polyvox.processes.models import Phase, Process
from polyvox.processes.selectors import access_process, processes_for

router = Router()


class PhaseOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    status: str

    @staticmethod
    def resolve_status(obj: Phase) -> str:
        return obj.status(timezone.now())


class ProcessSummaryOut(Schema):
    slug: str
    title: str
    decision_mode: str
    identity_policy: str
    participation_policy: str
    languages: list[str]


class ProcessOut(ProcessSummaryOut):
    mandate: str
    requires_statement_of_interest: bool
    accepts_late_inputs: bool
    phases: list[PhaseOut]

    @staticmethod
    def resolve_phases(obj: Process) -> list[Phase]:
        return list(obj.phases.all())


@router.get("/processes", response=list[ProcessSummaryOut], summary="List processes")
def list_processes(request: HttpRequest) -> list[Process]:
    return list(processes_for(viewer=request.user))


@router.get("/processes/{slug}", response=ProcessOut, summary="Read a process with its phases")
def read_process(request: HttpRequest, slug: str) -> Process:
    return access_process(viewer=request.user, slug=slug)
