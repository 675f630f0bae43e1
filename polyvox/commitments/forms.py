"""Forms of commitments: validation of what people type."""
