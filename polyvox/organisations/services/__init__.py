"""Writes of organisations: registering and editing (`registering`), who speaks for them
(`representatives`), verification and merging by staff (`verification`), on shared rules (`rules`).

Organisations belong to no one process, so their public events go to `OrganisationEvent` (the
history on the organisation's page) rather than to a process record. Every function checks
permission, validates (a `ValidationError` with field keys), writes in one transaction and then
notifies the people concerned; a refusal leaves nothing written."""
