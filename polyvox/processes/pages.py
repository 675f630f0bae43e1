"""Sections other apps add to the process page (see `polyvox.core.sections`).

`PROCESS_PAGE` sections get `process`. processes knows none of the apps above it: drafts lists the
drafts and their versions, contributions the ways to comment and the feedback reports, statements
the opinion map, campaigns the submissions, the record its link, each from its `AppConfig.ready()`.
"""

from polyvox.core.sections import SectionRegistry

PROCESS_PAGE = SectionRegistry("process")
