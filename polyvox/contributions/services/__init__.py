"""Writes for contributions, one module per concept; import from the module that defines a name.

- `rules`: cleaning, limits and numbering shared by every way in (service and bulk import).
- `submitting`: submit and edit a contribution.
- `dispositions`: answer inputs, one at a time or as a whole campaign (one writer).
- `moderation`: hide with a published reason.
"""
