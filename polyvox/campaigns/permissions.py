"""Who may read the signals of inauthenticity (grouping and answering campaigns is
`contributions.permissions.can_dispose`, importing submissions is `is_secretariat`)."""

from polyvox.core.permissions import Actor
from polyvox.processes.models import Process
from polyvox.processes.permissions import has_capability
from polyvox.processes.roles import Capability


def can_see_signals(actor: Actor | None, process: Process) -> bool:
    """Signals (bursts, shared domains and networks) are leads for the staff who work the inputs,
    not verdicts, and not public."""
    return has_capability(actor, process, Capability.SEE_WORKBENCH)
