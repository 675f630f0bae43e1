"""Sections other apps add to contribution pages and feedback reports (`polyvox.core.sections`).

`CONTRIBUTION_PAGE` sections get `contribution` and `process`: campaigns shows the campaign an
input belongs to, statements offers to promote an insight from the thread.
`FEEDBACK_REPORT` sections get `process` and `version`: joint statements shows each statement
next to its linked dissenting and supplementary statements. `FEEDBACK_REPORT_DATA` is the same
for the report's JSON download and API answer: each entry adds one key of JSON-ready data.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from polyvox.core.sections import OrderedRegistry, SectionRegistry
from polyvox.processes.models import Process

CONTRIBUTION_PAGE = SectionRegistry("contribution")
FEEDBACK_REPORT = SectionRegistry("feedback report")


@dataclass(frozen=True)
class ReportData:
    """One key of the feedback report's data: `build(process=…)` returns public, JSON-ready data."""

    key: str
    order: int
    build: Callable[..., Any]


class ReportDataRegistry(OrderedRegistry[ReportData]):
    def data(self, process: Process) -> dict[str, Any]:
        return {entry.key: entry.build(process=process) for entry in self.ordered()}


FEEDBACK_REPORT_DATA = ReportDataRegistry()
