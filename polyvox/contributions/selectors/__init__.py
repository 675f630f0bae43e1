"""Reads of contributions, one module per concept; import from the module that defines a name.

- `threads`: threads on sections, one input, public lists, the secretariat's workbench.
- `feedback_report`: the public feedback report of a draft version.
"""
