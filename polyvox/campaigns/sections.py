"""What campaigns adds to the pages and reports of apps below it, registered in `ready()`."""

from typing import Any

from django.http import HttpRequest

from polyvox.campaigns.selectors import campaign_groups, campaign_of
from polyvox.contributions.input_groups import register_input_groups
from polyvox.contributions.models import Contribution
from polyvox.contributions.pages import CONTRIBUTION_PAGE
from polyvox.core.sections import PageSection
from polyvox.processes.models import Process


def campaign_section(
    *, request: HttpRequest, contribution: Contribution, process: Process
) -> dict[str, Any] | None:
    """On a contribution's page: the campaign it belongs to and the campaign's answer."""
    campaign = campaign_of(viewer=request.user, contribution=contribution)
    return {"campaign": campaign, "process": process} if campaign else None


def register() -> None:
    # The feedback report counts each campaign once; a member's page shows its campaign.
    register_input_groups("campaigns", campaign_groups)
    CONTRIBUTION_PAGE.register(
        PageSection("campaign", 10, "campaigns/_contribution_campaign.html", campaign_section)
    )
