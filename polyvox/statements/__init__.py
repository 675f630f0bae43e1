"""Statements and votes (Pol.is style) and the opinion maps computed from them."""
