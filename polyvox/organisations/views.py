"""Pages of organisations: thin views over its services and selectors."""
