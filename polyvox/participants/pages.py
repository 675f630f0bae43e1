"""Sections other apps add to a participant's own profile page (see `polyvox.core.sections`).

`PROFILE_PAGE` sections get `user`. participants knows none of the apps above it: accounts adds
the API tokens, the data download and closing the account from its `AppConfig.ready()`."""

from polyvox.core.sections import SectionRegistry

PROFILE_PAGE = SectionRegistry("profile")
