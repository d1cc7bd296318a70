"""Put a finished packet on disk without ever leaving half of one behind.

Everything is written into a temporary folder beside the target first. A whole packet then
replaces the target folder by renames; a partial rebuild (``--only``) replaces its files one by
one with ``os.replace``. A failure before that point leaves the target exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .errors import HuiwuError


class OutputExists(HuiwuError):
    """The target holds an earlier packet and ``--force`` was not given."""


def write_packet(
    files: Mapping[str, bytes], target: Path, *, force: bool, whole: bool = True
) -> list[Path]:
    """Write ``name → bytes`` into ``target``; return the paths written.

    ``whole`` replaces the target folder as a unit; otherwise only the named files are replaced
    and the rest of the folder is kept.
    """
    _refuse_overwrite(files, target, force=force, whole=whole)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        for name, data in files.items():
            _write_synced(staging / name, data)
        if whole or not target.exists():
            _swap_in(staging, target)
        else:
            for name in files:
                destination = target / name
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / name, destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [target / name for name in files]


def _refuse_overwrite(
    files: Mapping[str, bytes], target: Path, *, force: bool, whole: bool
) -> None:
    if force or not target.exists():
        return
    if not target.is_dir():
        raise OutputExists(f"{target}: 已存在同名文件，不是文件夹")
    clashes = [name for name in files if (target / name).exists()]
    if whole and any(target.iterdir()):
        clashes = clashes or [p.name for p in sorted(target.iterdir())][:3]
    if clashes:
        listed = "、".join(clashes[:5]) + ("等" if len(clashes) > 5 else "")
        raise OutputExists(
            f"{target}: 输出文件夹里已有材料（{listed}）。为免覆盖，未写入任何文件；"
            "确认要重新生成并覆盖时，请加 --force"
        )


def _write_synced(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _swap_in(staging: Path, target: Path) -> None:
    """Move the staged folder to ``target``, replacing an earlier one."""
    if not target.exists():
        os.rename(staging, target)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    os.rmdir(retired)
    os.rename(target, retired)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(retired, target)
        raise
    shutil.rmtree(retired, ignore_errors=True)
