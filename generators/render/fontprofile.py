"""Font profiles: which font names the documents carry, for the PCs that will open them.

GB/T 9704 names 方正小标宋简体, 仿宋_GB2312 and 楷体_GB2312, which government office PCs have.
Windows (7 and later) and WPS ship 仿宋, 楷体, 黑体 and 宋体 instead; on such a PC Word and WPS
would substitute a face of their own choosing for the standard names. The ``通用`` profile
names the faces those PCs have (the title in bold 宋体, the nearest to 小标宋 they ship).

The built-in templates carry the standard names; a profile rewrites them in a copy of the
template (styles, font table, theme and any direct formatting), once per template and profile,
so that rendering costs nothing more. The user's own templates keep the fonts they chose.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from huiwu import gbt9704 as g
from huiwu.render import docxzip
from lxml import etree

STANDARD: Final = "标准"
COMMON: Final = "通用"


@dataclass(frozen=True)
class Face:
    """The name a profile gives one of the standard faces."""

    name: str
    alt: str
    """Its English name, which Word and WPS also look for (the font table's ``w:altName``)."""
    bold: bool = False
    """Set bold where the face is used (宋体 standing in for the heavier 小标宋)."""


PROFILES: dict[str, dict[str, Face]] = {
    STANDARD: {},
    COMMON: {
        g.FONT_TITLE: Face("宋体", "SimSun", bold=True),
        g.FONT_BODY: Face("仿宋", "FangSong"),
        g.FONT_KAI: Face("楷体", "KaiTi"),
    },
}
"""Profile → the standard faces it renames (黑体 and 宋体 are the same in every profile)."""

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_FONT_ATTRIBUTES = tuple(f"{{{_W}}}{name}" for name in ("ascii", "eastAsia", "hAnsi", "cs"))
_PARTS = ("word/styles.xml", "word/document.xml", "word/fontTable.xml", "word/theme/theme1.xml")


def apply(template: bytes, profile: str) -> bytes:
    """The template with the profile's font names (the same bytes for the standard profile)."""
    faces = PROFILES[profile]
    if not faces:
        return template
    members = docxzip.read_members(template)
    for name in _PARTS:
        if name in members:
            members[name] = _rename(members[name], faces)
    return docxzip.pack(members)


def _rename(xml: bytes, faces: dict[str, Face]) -> bytes:
    root = etree.fromstring(xml)
    for fonts in root.iter(f"{{{_W}}}rFonts"):
        face = faces.get(fonts.get(f"{{{_W}}}eastAsia", ""))
        if face is None:
            continue
        for attribute in _FONT_ATTRIBUTES:
            if fonts.get(attribute) is not None:
                fonts.set(attribute, face.name)
        if face.bold:
            _make_bold(fonts)
    names = {font.get(f"{{{_W}}}name") for font in root.iter(f"{{{_W}}}font")}
    for font in list(root.iter(f"{{{_W}}}font")):
        face = faces.get(font.get(f"{{{_W}}}name", ""))
        if face is None:
            continue
        if face.name in names:
            root.remove(font)  # 宋体 for 小标宋: the table already has 宋体
        else:
            font.set(f"{{{_W}}}name", face.name)
            alt = font.find(f"{{{_W}}}altName")
            if alt is not None:
                alt.set(f"{{{_W}}}val", face.alt)
            names.add(face.name)
    for typeface in (*root.iter(f"{{{_A}}}latin"), *root.iter(f"{{{_A}}}ea")):
        face = faces.get(typeface.get("typeface", ""))
        if face is not None:
            typeface.set("typeface", face.name)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _make_bold(fonts: etree._Element) -> None:
    """Add ``w:b`` and ``w:bCs`` after ``w:rFonts`` (their place in the schema's order)."""
    properties = fonts.getparent()
    if properties.find(f"{{{_W}}}b") is None:
        fonts.addnext(etree.Element(f"{{{_W}}}bCs"))
        fonts.addnext(etree.Element(f"{{{_W}}}b"))


def profiled_template(path: Path, profile: str, cache: Path) -> Path:
    """``path`` itself for the standard profile; else its copy with the profile's fonts, kept
    in ``cache`` under a name that changes with the template's bytes."""
    if not PROFILES[profile]:
        return path
    data = path.read_bytes()
    digest = hashlib.sha256(data + profile.encode("utf-8")).hexdigest()[:16]
    target = cache / f"{profile}-{digest}" / path.name
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(apply(data, profile))
        os.replace(temporary, target)
    return target
