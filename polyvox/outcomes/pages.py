"""Sections other apps add to outcome pages (see `polyvox.core.sections`).

`OUTCOME_DOCUMENT` sections get `process` (the outcome document's page and PDF);
`RECOMMENDATION_PAGE` sections get `recommendation` and `process`; `OUTCOME_DATA` entries add a
key to the outcome document's JSON (`build(process=…)`, public data only). Commitments register
in all three, so each recommendation shows what was committed to carry it out.
"""

from polyvox.contributions.pages import ReportDataRegistry
from polyvox.core.sections import SectionRegistry

OUTCOME_DOCUMENT = SectionRegistry("outcome document")
RECOMMENDATION_PAGE = SectionRegistry("recommendation")
OUTCOME_DATA = ReportDataRegistry()
