"""Participation, responsiveness and circulation indicators of a process, and its quality report."""
