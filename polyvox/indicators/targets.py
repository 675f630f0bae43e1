"""Reading a process's participation targets, for the page that lists and removes them."""

from dataclasses import dataclass

from django.db.models import QuerySet

from polyvox.indicators.charts import percent
from polyvox.indicators.vocabulary import value_label
from polyvox.processes.models import ParticipationTarget, Process, TargetDimension


@dataclass(frozen=True)
class TargetRow:
    id: int
    dimension: str
    dimension_label: str
    value: str
    value_label: str
    min_share: str


def targets_of(process: Process) -> QuerySet[ParticipationTarget]:
    """The process's targets by dimension and value (a handful: one per group, region…)."""
    return ParticipationTarget.objects.filter(process=process).order_by("dimension", "value")


def target_rows(process: Process) -> list[TargetRow]:
    return [
        TargetRow(
            id=target.pk,
            dimension=target.dimension,
            dimension_label=str(TargetDimension(target.dimension).label),
            value=target.value,
            value_label=value_label(target.dimension, target.value),
            min_share=percent(target.min_share),
        )
        for target in targets_of(process)
    ]
