"""What apps above contributions do when a process closes, inside the closing transaction.

`close_process` lives here, but what else closing settles (the indicators frozen into the final
quality report) belongs to apps above this one: each registers a step from its
`AppConfig.ready()`, and a step that fails rolls the closing back."""

from collections.abc import Callable
from datetime import datetime

from polyvox.processes.models import Process

ClosingStep = Callable[[Process, datetime], object]

_steps: dict[str, ClosingStep] = {}


def register_closing_step(name: str, step: ClosingStep) -> None:
    """Add (or replace, when `ready()` runs again) the step `name`; steps run in the order added."""
    _steps[name] = step


def run_closing_steps(process: Process, closed_at: datetime) -> None:
    for step in _steps.values():
        step(process, closed_at)
