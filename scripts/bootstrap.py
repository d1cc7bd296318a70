#!/usr/bin/env python3
"""Set up huiwu in ./.venv on a machine that has only python3 (Debian or similar).

    python3 scripts/bootstrap.py           # huiwu and its libraries
    python3 scripts/bootstrap.py --test    # also test tools, LibreOffice, poppler and fonts

Safe to run again: it only installs what is missing. System packages (LibreOffice, fonts,
python3-venv) need root; without root it says which command to run.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
STAMP = VENV / ".huiwu-installed"

TEST_DEBS = ["libreoffice-writer-nogui", "poppler-utils", "fonts-noto-cjk"]


def main() -> int:
    parser = argparse.ArgumentParser(description="在 .venv 中安装 huiwu")
    parser.add_argument("--test", action="store_true", help="同时安装测试所需的工具和 LibreOffice")
    args = parser.parse_args()
    if sys.version_info < (3, 11):  # noqa: UP036 -- this script runs under any python3
        print(f"需要 Python 3.11 或更高版本，当前是 {sys.version.split()[0]}", file=sys.stderr)
        return 1
    if args.test:
        ensure_debs(TEST_DEBS, reason="测试需要 LibreOffice 把文档转成 PDF 来检查版面")
    ensure_venv()
    ensure_packages(extras="test" if args.test else None)
    return 0


def ensure_venv() -> None:
    if (VENV / "bin" / "python").exists() or (VENV / "Scripts" / "python.exe").exists():
        return
    try:
        import ensurepip  # noqa: F401  (Debian's python3 lacks it without python3-venv)
    except ImportError:
        ensure_debs(
            [f"python{sys.version_info.major}.{sys.version_info.minor}-venv"], reason="创建虚拟环境"
        )
    run([sys.executable, "-m", "venv", str(VENV)])


def venv_python() -> str:
    windows = VENV / "Scripts" / "python.exe"
    return str(windows if windows.exists() else VENV / "bin" / "python")


def ensure_packages(extras: str | None) -> None:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    installed = STAMP.read_text().split() if STAMP.exists() else []
    if installed[:1] == [digest] and (extras is None or extras in installed[1:]):
        return
    spec = f".[{extras}]" if extras else "."
    run([venv_python(), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([venv_python(), "-m", "pip", "install", "--quiet", "-e", spec], cwd=ROOT)
    STAMP.write_text(" ".join([digest, *([extras] if extras else [])]))


def ensure_debs(packages: list[str], *, reason: str) -> None:
    missing = [p for p in packages if not _deb_installed(p)]
    if not missing:
        return
    if shutil.which("apt-get") is None:
        print(f"请先安装：{' '.join(missing)}（{reason}）", file=sys.stderr)
        sys.exit(1)
    if os.geteuid() != 0:
        print(
            f"{reason}，需要系统软件包。请运行：sudo apt-get install -y {' '.join(missing)}",
            file=sys.stderr,
        )
        sys.exit(1)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], env=env)
    run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env)


def _deb_installed(package: str) -> bool:
    if shutil.which("dpkg-query") is None:
        return False
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True, check=False
    )
    return "install ok installed" in result.stdout


def run(command: list[str], **kwargs) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True, **kwargs)


if __name__ == "__main__":
    sys.exit(main())
