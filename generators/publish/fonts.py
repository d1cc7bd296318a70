"""The fonts of official documents, and free substitutes for rendering PDFs where they are missing.

Government office PCs have 方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体 and 宋体, and huiwu's
documents name exactly those. A Linux machine has none of them, and LibreOffice would then set
every face in one sans-serif fallback. :func:`fontconfig_file` writes a fontconfig configuration
that maps each office name to a free face of the same style — the Fandol fonts (from Debian's
``texlive-lang-chinese``, extracted by ``scripts/bootstrap.py`` into :func:`font_dir`), then
Noto CJK — and that LibreOffice reads through ``FONTCONFIG_FILE``. Windows has the real fonts and
its LibreOffice does not use fontconfig: nothing is mapped there.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

FANDOL_FILES = (
    "FandolFang-Regular.otf",
    "FandolKai-Regular.otf",
    "FandolHei-Regular.otf",
    "FandolHei-Bold.otf",
    "FandolSong-Regular.otf",
    "FandolSong-Bold.otf",
)
"""The Fandol faces huiwu maps to (the Braille faces of the package are not needed)."""


@dataclass(frozen=True)
class Substitute:
    """The free faces standing in for one style of office font, best first."""

    families: tuple[str, ...]
    bold: bool = False
    """小标宋 is a heavy 宋体: its nearest free face is a bold 宋体."""


FANG = Substitute(("FandolFang", "Noto Serif CJK SC"))
KAI = Substitute(("FandolKai", "AR PL UKai CN", "Noto Serif CJK SC"))
HEI = Substitute(("FandolHei", "Noto Sans CJK SC"))
SONG = Substitute(("FandolSong", "Noto Serif CJK SC"))
XIAOBIAOSONG = Substitute(("FandolSong", "Noto Serif CJK SC"), bold=True)

OFFICE_FONTS: dict[str, Substitute] = {
    **dict.fromkeys(
        ("仿宋_GB2312", "仿宋", "FangSong_GB2312", "FangSong", "华文仿宋", "STFangsong"), FANG
    ),
    **dict.fromkeys(("楷体_GB2312", "楷体", "KaiTi_GB2312", "KaiTi", "华文楷体", "STKaiti"), KAI),
    **dict.fromkeys(("黑体", "SimHei", "华文黑体", "STHeiti"), HEI),
    **dict.fromkeys(("宋体", "SimSun", "新宋体", "NSimSun", "华文宋体", "STSong"), SONG),
    **dict.fromkeys(
        (
            "方正小标宋简体",
            "方正小标宋_GBK",
            "方正小标宋",
            "FZXiaoBiaoSong-B05S",
            "FZXiaoBiaoSong-B05",
            "小标宋",
        ),
        XIAOBIAOSONG,
    ),
}
"""Office font names (as Word and WPS write them, Chinese and English) → their substitutes."""


def cache_dir() -> Path:
    """huiwu's per-user cache folder (``$XDG_CACHE_HOME/huiwu`` or ``~/.cache/huiwu``)."""
    override = os.environ.get("HUIWU_CACHE")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "huiwu"


def font_dir() -> Path:
    """Where ``scripts/bootstrap.py`` puts the Fandol fonts."""
    return cache_dir() / "fonts"


def fandol_installed(folder: Path | None = None) -> bool:
    """Whether every Fandol face huiwu maps to is in ``folder`` (default :func:`font_dir`)."""
    folder = folder or font_dir()
    return all((folder / name).is_file() for name in FANDOL_FILES)


def needs_mapping() -> bool:
    """Whether LibreOffice on this system reads fontconfig (everywhere but Windows)."""
    return not sys.platform.startswith("win")


def fontconfig_xml(extra_dirs: tuple[Path, ...] = ()) -> str:
    """A complete fontconfig configuration: the system's own, the extra font folders, and the
    office-font rules."""
    parts = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
        "<!-- Written by huiwu: office font names mapped to free substitutes for PDF export. -->",
        "<fontconfig>",
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
        *(f"  <dir>{_xml_text(str(folder))}</dir>" for folder in extra_dirs),
        f"  <cachedir>{_xml_text(str(cache_dir() / 'fontconfig'))}</cachedir>",
        *_bold_fandol_rule(),
        *(_rule(name, substitute) for name, substitute in OFFICE_FONTS.items()),
        "</fontconfig>",
    ]
    return "\n".join(parts) + "\n"


def _bold_fandol_rule() -> list[str]:
    # The Bold Fandol faces declare a regular weight in their OS/2 table, so fontconfig cannot
    # tell them from the Regular ones and may set body text in Bold.
    return [
        '  <match target="scan">',
        '    <test name="family" compare="contains"><string>Fandol</string></test>',
        '    <test name="style"><string>Bold</string></test>',
        '    <edit name="weight" mode="assign"><const>bold</const></edit>',
        "  </match>",
    ]


def _rule(name: str, substitute: Substitute) -> str:
    families = "".join(f"<string>{_xml_text(f)}</string>" for f in substitute.families)
    weight = (
        '<edit name="weight" mode="assign" binding="strong"><const>bold</const></edit>'
        if substitute.bold
        else ""
    )
    return (
        '  <match target="pattern">'
        f'<test name="family" qual="any"><string>{_xml_text(name)}</string></test>'
        f'<edit name="family" mode="assign" binding="strong">{families}</edit>{weight}</match>'
    )


def fontconfig_file() -> Path | None:
    """Write (if changed) and return the fontconfig file for LibreOffice; None on Windows."""
    if not needs_mapping():
        return None
    dirs = (font_dir(),) if font_dir().is_dir() else ()
    text = fontconfig_xml(dirs)
    path = cache_dir() / "fontconfig.conf"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    return path


CHECKED_FACES = ("方正小标宋简体", "仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "仿宋", "楷体")
"""The faces huiwu's documents name, in either font profile."""


def fallback_warning() -> str | None:
    """A note for the user when LibreOffice would set an office face in a face of another style
    (a Japanese serif or a sans-serif for 仿宋), naming each; None when every face has its own
    style's substitute, or where fontconfig is not used."""
    config = fontconfig_file()
    if config is None or shutil.which("fc-match") is None:
        return None
    wrong = []
    for name in CHECKED_FACES:
        family = matched_family(name, config)
        if family is not None and family not in OFFICE_FONTS[name].families:
            wrong.append(f"{name}用了“{family}”")
    if not wrong:
        return None
    return (
        "提示：PDF 里有的公文字体找不到同一风格的替代字体，改用了其他风格的字体："
        + "，".join(wrong)
        + "。打印效果会与 Word/WPS 里不同；在 huiwu 的源码文件夹里运行 python3 scripts/bootstrap.py --pdf 可安装替代字体。"
    )


def matched_family(name: str, config: Path) -> str | None:
    """The family fontconfig (with ``config``) sets the face ``name`` in, or None if unknown."""
    try:
        result = subprocess.run(
            ["fc-match", "-f", "%{family[0]}", name],
            env={**os.environ, "FONTCONFIG_FILE": str(config)},
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    family = result.stdout.strip()
    return family if result.returncode == 0 and family else None


def _xml_text(text: str) -> str:
    """``&``, ``<`` and ``>`` escaped, as in XML text (``xml.sax.saxutils.escape``, whose
    module imports ``urllib.request`` and with it ``http``, ``ssl`` and ``email``: 30 ms of
    every build)."""
    return html.escape(text, quote=False)
