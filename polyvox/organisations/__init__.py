"""Organisations: records of their own, their administrators and approved representatives."""
