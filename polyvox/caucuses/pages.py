"""Sections other apps add to a caucus's page, for its members (see `polyvox.core.sections`).

`CAUCUS_PAGE` sections get `caucus` and `process`: joint statements offers the facilitators to
publish the working draft as a joint statement. Builders must return None for non-members.
"""

from polyvox.core.sections import SectionRegistry

CAUCUS_PAGE = SectionRegistry("caucus")
