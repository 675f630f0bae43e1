"""Sections other apps add to contribution pages (see `polyvox.core.sections`).

`CONTRIBUTION_PAGE` sections get `contribution` and `process`: campaigns shows the campaign an
input belongs to, statements offers to promote an insight from the thread.
"""

from polyvox.core.sections import SectionRegistry

CONTRIBUTION_PAGE = SectionRegistry("contribution")
