"""Caucuses: private spaces inside a process; their content stays inside unless published."""
