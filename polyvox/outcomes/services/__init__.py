"""Writes of outcomes: each checks permission, validates, writes atomically and records public events."""
