"""Pages of outcomes: thin views over services and selectors."""
