"""Sections other apps add to contribution pages and feedback reports (`polyvox.core.sections`).

`CONTRIBUTION_PAGE` sections get `contribution` and `process`: campaigns shows the campaign an
input belongs to, statements offers to promote an insight from the thread.
`FEEDBACK_REPORT` sections get `process` and `version`: joint statements shows each statement
next to its linked dissenting and supplementary statements.
"""

from polyvox.core.sections import SectionRegistry

CONTRIBUTION_PAGE = SectionRegistry("contribution")
FEEDBACK_REPORT = SectionRegistry("feedback report")
