"""Contribution pages, one module per concept."""
