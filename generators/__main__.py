"""``python -m huiwu``: the same command line as ``huiwu``."""

import sys

from huiwu.launch import main

sys.exit(main())
