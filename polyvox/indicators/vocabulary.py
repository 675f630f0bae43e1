"""What a participation target may count, per dimension: the values and their labels.

A target names a stakeholder group (`participants.StakeholderGroup`), an M49 region (the
`region` column of `participants/data/m49.csv`), a self-described gender as the indicators count
it (trimmed, case-folded), or the Global South as a whole (one value)."""

from django.utils.translation import gettext as _

from polyvox.participants.models import StakeholderGroup
from polyvox.participants.regions import countries, region_name
from polyvox.processes.models import TargetDimension

GLOBAL_SOUTH = "global_south"
MAX_GENDER_CHARS = 40


def region_label(region: str) -> str:
    """The region's name in the active language (CLDR, through `participants.regions`)."""
    return region_name(region)


def regions() -> list[str]:
    """The M49 regions, in the table's order of names."""
    return sorted({c.region.region for c in countries().values() if c.region.region})


def value_choices(dimension: str) -> list[tuple[str, str]]:
    """(value, label) pairs a target of `dimension` may name; empty for free values (gender)."""
    if dimension == TargetDimension.STAKEHOLDER_GROUP:
        return [(str(value), str(label)) for value, label in StakeholderGroup.choices]
    if dimension == TargetDimension.REGION:
        return [(region, region_label(region)) for region in regions()]
    if dimension == TargetDimension.GLOBAL_SOUTH:
        return [(GLOBAL_SOUTH, _("Global South"))]
    return []


def normalise_gender(value: str) -> str:
    """How the indicators group self-described genders: trimmed, spaces collapsed, case-folded."""
    return " ".join(value.split()).casefold()


def value_label(dimension: str, value: str) -> str:
    """A target's value as people read it."""
    for known, label in value_choices(dimension):
        if known == value:
            return label
    return value
