"""Sections other apps add to an organisation's page (see `polyvox.core.sections`).

`ORGANISATION_PAGE` sections get `organisation`: contributions lists the public inputs made on
its behalf, joint statements its signatures and the statements it published.
"""

from polyvox.core.sections import SectionRegistry

ORGANISATION_PAGE = SectionRegistry("organisation")
