"""Contributions: inputs from participants, and the dispositions that answer them."""
