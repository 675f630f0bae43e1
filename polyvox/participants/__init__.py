"""Participants: users, profiles, stakeholder groups, statements of interest."""
