"""The record: append-only, SHA-256 hash-chained public record of each process."""
