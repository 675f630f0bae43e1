#!/usr/bin/env python
"""Django's command-line utility; `polyvox` is the same thing, installed on PATH."""

import sys

from polyvox.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
