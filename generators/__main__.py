"""``python -m huiwu``: the same command line as ``huiwu``."""

import sys

from huiwu.cli import main

sys.exit(main())
