"""Run huiwu from a checkout: ``python cli.py build data/mobilisation/meeting.yaml``.

The command line itself is :mod:`huiwu.cli` (``generators/cli.py`` here); installed, it is the
``huiwu`` command and ``python -m huiwu``. This file only starts it (through
:mod:`huiwu.launch`, which makes Ctrl-C during start-up print a message, not a traceback), so
that a checkout set up by ``scripts/bootstrap.py`` can be driven without activating the virtual
environment.
"""

import os
import signal
import sys


def _interrupted_while_starting(signum, frame):
    # Until huiwu.launch is imported (finding the package can take a moment on a busy machine).
    sys.stderr.write("已中断，未写入任何文件。\n")
    os._exit(1)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, _interrupted_while_starting)
    signal.signal(signal.SIGTERM, _interrupted_while_starting)
    from huiwu.launch import main

    sys.exit(main())
