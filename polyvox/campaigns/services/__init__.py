"""Writes for campaigns, one module per concept; import from the module that defines a name.

- `intake`: every submission arrives through `receive_submission` (web form, API, demo).
- `detection`: group near-duplicate submissions into campaigns (a background task).
- `decisions`: the secretariat confirms, splits, merges and answers campaigns.
Bulk import of files is `campaigns.importing`, which applies the intake's and contributions' rules.
"""
