#!/usr/bin/env python3
"""Set up huiwu in ./.venv on a machine that has only python3 (Debian or similar).

    python3 scripts/bootstrap.py           # huiwu and its libraries
    python3 scripts/bootstrap.py --pdf     # also LibreOffice and fonts, for huiwu build --pdf
    python3 scripts/bootstrap.py --test    # also test tools and poppler (implies --pdf)

Safe to run again: it only installs what is missing. System packages (LibreOffice, fonts,
python3-venv) need root; without root it says which command to run. The Fandol fonts (free
substitutes of 仿宋, 楷体, 黑体, 宋体 for PDFs) are taken out of Debian's texlive-lang-chinese
package without installing TeX, into huiwu's font folder (see generators/publish/fonts.py).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
STAMP = VENV / ".huiwu-installed"

PDF_DEBS = ["libreoffice-writer-nogui", "python3-uno", "fonts-noto-cjk"]
TEST_DEBS = ["poppler-utils", "chromium"]
FANDOL_DEB = "texlive-lang-chinese"
FANDOL_PATH = "./usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/"


def main() -> int:
    parser = argparse.ArgumentParser(description="在 .venv 中安装 huiwu")
    parser.add_argument(
        "--pdf", action="store_true", help="同时安装生成 PDF 所需的 LibreOffice 和字体"
    )
    parser.add_argument("--test", action="store_true", help="同时安装测试所需的工具（含 --pdf）")
    args = parser.parse_args()
    if sys.version_info < (3, 11):  # noqa: UP036 -- this script runs under any python3
        print(f"需要 Python 3.11 或更高版本，当前是 {sys.version.split()[0]}", file=sys.stderr)
        return 1
    if args.pdf or args.test:
        ensure_debs(PDF_DEBS, reason="生成 PDF 需要 LibreOffice 和中文字体")
        ensure_fandol()
    if args.test:
        ensure_debs(
            TEST_DEBS,
            reason="测试需要 poppler 把 PDF 转成图片来检查版面，需要 Chromium 在浏览器里测试会务页面",
        )
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


def ensure_fandol() -> None:
    """Extract the Fandol fonts from the Debian package into huiwu's font folder."""
    fonts = _fonts_module()

    target = fonts.font_dir()
    if fonts.fandol_installed(target):
        return
    if shutil.which("apt-get") is None or shutil.which("dpkg-deb") is None:
        print(
            "提示：本机不是 Debian 系统，未安装 Fandol 字体；PDF 将用其他中文字体。",
            file=sys.stderr,
        )
        return
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="huiwu-fonts-") as scratch:
        if not _download_deb(FANDOL_DEB, Path(scratch)):
            return
        (deb,) = Path(scratch).glob("*.deb")
        members = [FANDOL_PATH + name for name in fonts.FANDOL_FILES]
        unpacked = Path(scratch) / "unpacked"
        unpacked.mkdir()
        extract = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
        run(["tar", "-x", "-C", str(unpacked), *members], stdin=extract.stdout)
        extract.wait()
        for name in fonts.FANDOL_FILES:
            shutil.copyfile(unpacked / FANDOL_PATH / name, target / name)
    print(f"已把 Fandol 字体放到 {target}")


def _fonts_module() -> types.ModuleType:
    """huiwu's font module, loaded from its file: it uses only the standard library, so the
    bootstrap can use it before the venv (and huiwu in it) exists."""
    path = ROOT / "generators" / "publish" / "fonts.py"
    spec = importlib.util.spec_from_file_location("huiwu_bootstrap_fonts", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it runs
    spec.loader.exec_module(module)
    return module


def _download_deb(package: str, folder: Path) -> bool:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = ["apt-get", "download", "-qq", package]
    if subprocess.run(command, cwd=folder, env=env, check=False).returncode == 0:
        return True
    if os.geteuid() == 0:
        run(["apt-get", "update", "-qq"], env=env)
        return subprocess.run(command, cwd=folder, env=env, check=False).returncode == 0
    print(
        f"提示：下载 {package} 失败，未安装 Fandol 字体。请先以 root 运行 apt-get update 再试。",
        file=sys.stderr,
    )
    return False


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
