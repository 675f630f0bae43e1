"""Campaigns: clusters of identical or near-identical submissions, each member kept and counted."""
