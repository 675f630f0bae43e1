"""A form-letter campaign in the demo consultation, so the campaign pages and signals have data.

Twenty-four supporters send the same letter; some add a sentence of their own, which the campaign
page must surface. Deterministic, and built only through services.
"""

from polyvox.campaigns.models import Campaign
from polyvox.campaigns.services.detection import detect_campaigns
from polyvox.campaigns.services.intake import receive_submission
from polyvox.participants.models import User
from polyvox.participants.services import register_participant
from polyvox.processes.models import Process

LETTER = (
    "As members of rural communities, we ask the forum to guarantee community networks access to "
    "licence-exempt spectrum and to cost-oriented backhaul. Without both, villages like ours stay "
    "offline. Please keep these two principles in the final text."
)
ADDITIONS = (
    "Our school has had no connection since the last operator left in 2019.",
    "I run the village network on solar power; backhaul is our largest cost.",
    "Women in our cooperative learned to maintain the antennas themselves.",
)
COUNTRIES = ("KE", "SN", "NG", "BR", "IN", "ID")


def build_demo_campaign(*, process: Process, secretariat: User) -> list[Campaign]:
    for number in range(1, 25):
        supporter = register_participant(
            email_verified=True,
            record_consent=True,
            username=f"supporter{number:02d}",
            email=f"supporter{number:02d}@villages.example",
            password=None,
            display_name=f"Supporter {number:02d}",
            stakeholder_group="civil_society" if number % 4 else "individual",
            country=COUNTRIES[number % len(COUNTRIES)],
        )
        # Every fourth supporter adds a sentence of their own.
        text = LETTER if number % 4 else f"{LETTER} {ADDITIONS[number // 4 % len(ADDITIONS)]}"
        receive_submission(
            author=supporter,
            process=process,
            text=text,
            source="web",
            email_domain="villages.example",
            network=f"203.0.113.{number}",
        )
    return detect_campaigns(actor=secretariat, process=process)
