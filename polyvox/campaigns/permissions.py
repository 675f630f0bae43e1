"""Who may manage campaigns, import submissions and read the signals of inauthenticity."""

from polyvox.core.permissions import Actor
from polyvox.processes.models import Process
from polyvox.processes.permissions import is_secretariat


def can_manage_campaigns(actor: Actor | None, process: Process) -> bool:
    """Detect, confirm, split, merge and answer campaigns: the secretariat's work."""
    return is_secretariat(actor, process)


def can_import_submissions(actor: Actor | None, process: Process) -> bool:
    return is_secretariat(actor, process)


def can_see_signals(actor: Actor | None, process: Process) -> bool:
    """Signals (bursts, shared domains and networks) are leads for the secretariat, not verdicts."""
    return is_secretariat(actor, process)
