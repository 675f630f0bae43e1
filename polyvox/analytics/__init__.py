"""Pure analytics: numpy/scipy only, never Django. Usable from the CLI on files."""
