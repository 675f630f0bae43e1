"""Who may prepare, preview and publish draft versions (`Capability.PUBLISH_VERSIONS`)."""

from polyvox.core.permissions import Actor
from polyvox.processes.models import Process
from polyvox.processes.permissions import has_capability
from polyvox.processes.roles import Capability


def can_publish_versions(actor: Actor | None, process: Process) -> bool:
    """Creating drafts, seeing versions before they are public, publishing them: the secretariat
    and rapporteurs (processes.roles)."""
    return has_capability(actor, process, Capability.PUBLISH_VERSIONS)
