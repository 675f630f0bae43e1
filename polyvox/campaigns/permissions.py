"""Who may read the signals of inauthenticity (managing campaigns is `is_secretariat`)."""

from polyvox.core.permissions import Actor
from polyvox.processes.models import Process
from polyvox.processes.permissions import is_secretariat


def can_see_signals(actor: Actor | None, process: Process) -> bool:
    """Signals (bursts, shared domains and networks) are leads for the secretariat, not verdicts."""
    return is_secretariat(actor, process)
