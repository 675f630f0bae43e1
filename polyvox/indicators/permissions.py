"""Who may set participation targets and read the secretariat's alerts on a process's indicators.

The indicators themselves are public: they are aggregates, with every cell under five suppressed
(docs/indicators.md), so anyone who may see the process may read them."""

from polyvox.core.permissions import Actor
from polyvox.processes.models import Process
from polyvox.processes.permissions import has_capability, is_secretariat
from polyvox.processes.roles import Capability


def can_set_targets(actor: Actor | None, process: Process) -> bool:
    """Participation targets are part of the process's design: its secretariat sets them."""
    return is_secretariat(actor, process)


def can_see_alerts(actor: Actor | None, process: Process) -> bool:
    """The alerts ("no input from governments yet") are a to-do list for those who run the
    process: its staff, who see the workbench."""
    return has_capability(actor, process, Capability.SEE_WORKBENCH)
