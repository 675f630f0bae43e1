"""Pages of commitments: thin views over services and selectors."""
