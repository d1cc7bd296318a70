"""The ``huiwu`` command's entry point: Ctrl-C and SIGTERM at any moment end it cleanly.

Importing :mod:`huiwu.cli` loads lxml, pydantic and docxtpl, which takes a moment; a Ctrl-C
then would print a traceback. This module imports nothing heavy, so it is in place before
anything else: an interruption during start-up prints the same Chinese message as one during a
build. SIGTERM (a service stopping, ``kill``) is turned into the same interruption, so that the
``with`` blocks holding a staging folder or a temporary file remove it on the way out.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

_INTERRUPTED = "已中断，未写入任何文件。"  # the same words as huiwu.errors.INTERRUPTED
_EXIT_INTERRUPTED = 1


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main() -> int:
    """Run the command line; an interruption anywhere is reported, never a traceback."""
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _terminate)
        from huiwu.cli import main as cli_main

        return cli_main()
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not interrupt this
        print(_INTERRUPTED, file=sys.stderr)
        return _EXIT_INTERRUPTED
