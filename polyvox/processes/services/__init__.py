"""Writes for processes, one module per concept: creating, scheduling (and, above them, editing, templates, membership)."""
