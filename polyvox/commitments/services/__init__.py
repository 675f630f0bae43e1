"""Writes for commitments: making one (`making`), following it up with dated updates,
contestations and answers (`following`), and reminders before and after due dates (`reminders`);
the checks and record payloads they share are in `rules`. Each one checks permission, validates,
writes atomically and records."""
