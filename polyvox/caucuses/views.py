"""Pages of caucuses: thin views over its services and selectors."""
