"""Pages of outcomes: thin views over `outcomes.services` and `outcomes.selectors`."""
