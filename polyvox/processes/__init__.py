"""Processes: phases, decision mode, identity and participation policies, roles."""
