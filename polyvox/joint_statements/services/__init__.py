"""Writes for joint statements: drafting and publishing (`drafting`), signatures (`signing`), and the
rules and record payloads both share (`rules`). Each one checks, validates, writes atomically and
records."""
