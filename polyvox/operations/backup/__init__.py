"""Backup and restore: `polyvox backup FILE` and `polyvox restore FILE` (docs/backup.md)."""
