"""Polyvox: a platform for multistakeholder policy processes."""

__version__ = "0.1.0"
