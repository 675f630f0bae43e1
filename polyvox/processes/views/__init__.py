"""Process pages, one module per concept."""
