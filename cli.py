"""Run huiwu from a checkout: ``python cli.py build data/mobilisation/meeting.yaml``.

The command line itself is :mod:`huiwu.cli` (``generators/cli.py`` here); installed, it is the
``huiwu`` command and ``python -m huiwu``. This file only starts it (through
:mod:`huiwu.launch`, which makes Ctrl-C during start-up print a message, not a traceback), so
that a checkout set up by ``scripts/bootstrap.py`` can be driven without activating the virtual
environment.
"""

import sys

from huiwu.launch import main

if __name__ == "__main__":
    sys.exit(main())
