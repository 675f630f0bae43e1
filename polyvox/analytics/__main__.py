"""`python -m polyvox.analytics …` is the same as `polyvox analyse …`."""

import sys

from polyvox.analytics.cli import main

sys.exit(main(sys.argv[1:]))
