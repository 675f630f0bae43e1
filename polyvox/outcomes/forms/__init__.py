"""Forms of outcomes: validation of what people type."""
