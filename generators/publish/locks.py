"""Advisory file locks: how a huiwu run tells its own staging folders and LibreOffice profiles
from those of a run going on in parallel, or of one that was killed (the system releases a dead
process's locks). Windows has no ``fcntl``: there nothing is locked and :data:`AVAILABLE` says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

AVAILABLE = fcntl is not None
"""Whether this system has file locks."""


def try_lock(path: Path) -> IO[bytes] | None:
    """Open (creating it) and lock ``path`` without waiting; the lock lasts while the returned
    handle is open. None when another process holds it. Without file locks, the open handle."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return _locked(open(path, "ab"))


def lock_open_file(handle: IO[bytes]) -> None:
    """Lock a file this run has just created and holds open (a temporary being written), so
    that another run can tell it from one a killed run left (:func:`try_lock_existing`)."""
    if fcntl is not None:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def try_lock_existing(path: Path) -> IO[bytes] | None:
    """Like :func:`try_lock` for a file that must already exist (nothing is created); None
    when it is gone or locked by a live process."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 -- held open as the lock by the caller
    except OSError:
        return None
    return _locked(handle)


def _locked(handle: IO[bytes]) -> IO[bytes] | None:
    """``handle`` once locked without waiting, or None (closed) when another process holds it;
    without file locks, ``handle`` as it is."""
    if fcntl is None:
        return handle
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle
