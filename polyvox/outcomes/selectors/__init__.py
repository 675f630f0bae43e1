"""Reads of outcomes: public data, aggregated in the database."""
