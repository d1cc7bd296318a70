"""A user's template is a document, nothing more: the one inspection of a DOCX from outside.

A Word file can do more than print text. It can show a picture fetched from a web address or a
local path when it is opened (an external relationship, a linked image, ``INCLUDEPICTURE``),
pull in another file's text (``INCLUDETEXT``, ``LINK``, ``altChunk``, a sub-document), talk to
another program (``DDE``), or carry code (VBA macros, OLE objects, ActiveX controls).
LibreOffice honours many of these while it converts a packet to PDF, so a template passed from
office to office (or, soon, uploaded through a web page) could make huiwu fetch a URL or print
a local file into a PDF.

huiwu **refuses** such a template with a message naming the part and what is in it, rather
than removing the construct and carrying on: a removed linked picture or included text would
silently change the printed document, and the office should know its template reaches out.
Ordinary hyperlinks are allowed: they are printed as text and never fetched. So are pictures
stored inside the file, text boxes and shapes.

:func:`inspect_template` is called wherever a template is opened
(:func:`huiwu.render.renderer.Renderer.prepare` and the docxtpl fallback) and by ``huiwu pdf``
for the documents it converts; a web upload must call it too.
"""

from __future__ import annotations

import gzip
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from huiwu.errors import HuiwuError
from lxml import etree

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HYPERLINK = "/hyperlink"

_FIELDS = {
    "INCLUDETEXT": "插入其他文件文字的域（INCLUDETEXT）",
    "INCLUDE": "插入其他文件文字的域（INCLUDE）",
    "INCLUDEPICTURE": "插入外部图片的域（INCLUDEPICTURE）",
    "IMPORT": "插入外部图片的域（IMPORT）",
    "LINK": "链接其他文件的域（LINK）",
    "DDE": "与其他程序交换数据的域（DDE）",
    "DDEAUTO": "与其他程序交换数据的域（DDEAUTO）",
    "RD": "引用其他文件的域（RD）",
    "DATABASE": "读取外部数据库的域（DATABASE）",
}
"""Field codes that read another file, fetch a URL or talk to another program."""

_RELATIONSHIPS = {
    "oleObject": "OLE 对象（嵌入或链接的其他程序文档）",
    "package": "嵌入的文件包",
    "aFChunk": "外部内容块（altChunk）",
    "control": "ActiveX 控件",
    "activeXControlBinary": "ActiveX 控件",
    "vbaProject": "宏（VBA）",
    "wordVbaData": "宏（VBA）",
    "keyMapCustomizations": "宏的快捷键",
    "subDocument": "子文档",
    "attachedTemplate": "附加的外部模板",
}
"""Relationship types (the last part of the type URI) refused even inside the file."""

_ELEMENTS = {
    f"{{{_W}}}altChunk": "外部内容块（altChunk）",
    f"{{{_W}}}object": "OLE 对象（嵌入或链接的其他程序文档）",
    f"{{{_W}}}control": "ActiveX 控件",
    f"{{{_W}}}subDoc": "子文档",
    # A mail merge's connection to a database or file (its data source link is an external
    # relationship, refused above); a merge without one, as LibreOffice saves its fax
    # templates, reaches nothing.
    f"{{{_W}}}connectString": "邮件合并的外部数据源",
    "{urn:schemas-microsoft-com:office:office}OLEObject": "OLE 对象（嵌入或链接的其他程序文档）",
}
_URL_ATTRIBUTES = frozenset({"href", "src"})
"""Attributes (VML ``o:href``, ``v:imagedata/@src`` …) that point at a file or a URL."""
_MACRO_PART = re.compile(r"(?i)(^|/)(vbaProject\.bin|vbaData\.xml)$")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


class UnsafeTemplate(HuiwuError):
    """A template that would make huiwu or LibreOffice reach outside it."""


@dataclass(frozen=True)
class Finding:
    """One thing a document must not hold: what it is, in which part, and a detail."""

    what: str
    part: str
    detail: str = ""

    def describe(self) -> str:
        """``外部链接（位于 word/document.xml：http://…）``."""
        where = f"位于 {self.part}" + (f"：{_clip(self.detail)}" if self.detail else "")
        return f"{self.what}（{where}）"


def inspect_template(path: Path, what: str = "模板") -> None:
    """Raise :class:`UnsafeTemplate` naming everything in the DOCX at ``path`` that reaches
    outside it; return quietly for a plain document (or a file that is not a zip, which the
    caller reports as not a DOCX)."""
    findings = list(findings_in(path))
    if findings:
        listed = "；".join(f.describe() for f in dict.fromkeys(findings))
        raise UnsafeTemplate(
            f"{path}: {what}里有不允许的内容：{listed}。{what}只能是普通的 Word 文档，"
            "不能链接或嵌入外部文件、网址、程序或宏（huiwu 和转换 PDF 的 LibreOffice 会去读取它们）。"
            "请在 Word/WPS 里删去这些内容（链接的图片改为“插入→图片→此设备”嵌入）后重新保存"
            + ("，或重新复制内置模板（huiwu templates 文件夹）" if what == "模板" else "")
        )


def unsafe_document(path: Path) -> str | None:
    """The message of :func:`inspect_template` for ``path``, or None for a plain document."""
    try:
        inspect_template(path, "文档")
    except UnsafeTemplate as exc:
        return str(exc)
    return None


def findings_in(path: Path) -> Iterator[Finding]:
    """Everything in the DOCX at ``path`` that reaches outside it, part by part."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return
    with archive:
        for info in archive.infolist():
            name = info.filename
            if _MACRO_PART.search(name):
                yield Finding("宏（VBA）", name)
            elif name.lower().endswith((".svg", ".svgz")):
                yield from _svg(name, archive.read(info))
            elif name.endswith(".rels"):
                yield from _relationships(name, archive.read(info))
            elif name.endswith(".xml") or name == "[Content_Types].xml":
                yield from _xml_part(name, archive.read(info))


_SVG_LINK = re.compile(
    rb"""(?i)(?:href|src)\s*=\s*["']\s*(?!#|data:)([^"']*)|url\(\s*["']?\s*(?!#|data:)([^)"']*)"""
)


def _svg(name: str, data: bytes) -> Iterator[Finding]:
    """An SVG picture stored in the file may itself link pictures or fonts by address, which
    LibreOffice fetches when it draws it."""
    if name.lower().endswith(".svgz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError):
            return
    found = _SVG_LINK.search(data)
    if found:
        target = (found.group(1) or found.group(2) or b"").decode("utf-8", "replace")
        yield Finding("SVG 图片里链接的外部文件", name, target)


def _relationships(name: str, data: bytes) -> Iterator[Finding]:
    root = _parse(data)
    if root is None:
        return
    owner = _owner(name)
    for rel in root.iter(f"{{{_REL}}}Relationship"):
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        target = rel.get("Target") or ""
        if kind in _RELATIONSHIPS:
            yield Finding(_RELATIONSHIPS[kind], owner, target)
        elif (rel.get("TargetMode") or "").lower() == "external" and not (
            rel.get("Type") or ""
        ).endswith(_HYPERLINK):
            yield Finding(f"指向外部的链接（{kind or '未知类型'}）", owner, target)


def _owner(rels_name: str) -> str:
    """``word/_rels/document.xml.rels`` → ``word/document.xml``: the part the links belong to."""
    folder, file = posixpath.split(rels_name)
    part = posixpath.join(posixpath.dirname(folder), file.removesuffix(".rels"))
    return part if file != ".rels" else rels_name  # the package's own links


def _xml_part(name: str, data: bytes) -> Iterator[Finding]:
    if name == "[Content_Types].xml":
        if b"macroEnabled" in data or b"vbaProject" in data:
            yield Finding("宏（VBA）", name, "启用宏的文档类型")
        return
    root = _parse(data)
    if root is None:
        return  # the renderer reports a broken part with its own message
    yield from _fields(name, root)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in _ELEMENTS:
            yield Finding(_ELEMENTS[element.tag], name)
        if not _embedded(element):
            for attribute, value in element.attrib.items():
                if etree.QName(attribute).localname in _URL_ATTRIBUTES and _points_out(value):
                    yield Finding("链接的外部图片或文件", name, value)
        if element.tag == f"{{{_MC}}}AlternateContent" and _alternatives_differ(element):
            yield Finding("两种显示方式文字不同的替代内容（AlternateContent）", name)


def _fields(name: str, root: etree._Element) -> Iterator[Finding]:
    """Field codes, simple (``w:fldSimple``) and complex (``w:instrText`` runs between
    ``w:fldChar`` marks, a code possibly split over several runs)."""
    for simple in root.iter(f"{{{_W}}}fldSimple"):
        yield from _field(name, simple.get(f"{{{_W}}}instr") or "")
    codes: list[list[str]] = []
    for element in root.iter(f"{{{_W}}}fldChar", f"{{{_W}}}instrText"):
        if element.tag == f"{{{_W}}}instrText":
            if codes:
                codes[-1].append(element.text or "")
            else:  # an instruction without its begin mark: judge it on its own
                yield from _field(name, element.text or "")
            continue
        kind = element.get(f"{{{_W}}}fldCharType")
        if kind == "begin":
            codes.append([])
        elif kind in ("separate", "end") and codes:
            code = "".join(codes[-1])
            if kind == "end":
                codes.pop()
            else:
                codes[-1] = []
            yield from _field(name, code)
    for code in codes:  # fields left open at the end of the part
        yield from _field(name, "".join(code))


def _field(name: str, code: str) -> Iterator[Finding]:
    words = code.strip().split(None, 1)
    if words and words[0].upper() in _FIELDS:
        yield Finding(_FIELDS[words[0].upper()], name, code.strip())


def _embedded(element: etree._Element) -> bool:
    """A VML picture that refers to a picture stored in the file (``r:id``, ``o:relid``): the
    ``o:href`` Word keeps beside it only records where it was pasted from."""
    return any(etree.QName(key).localname in ("id", "relid") for key in element.attrib)


def _points_out(value: str) -> bool:
    """A file path or URL (``http://…``, ``file:///…``, ``C:\\…``, ``\\\\server\\…``)."""
    value = value.strip()
    return bool(re.match(r"(?i)^(?:[a-z][a-z0-9+.-]*:|[\\/]{2}|[a-z]:[\\/]|/)", value))


def _alternatives_differ(element: etree._Element) -> bool:
    """A Choice and a Fallback that say different things: Word shows one, LibreOffice may
    show the other, and a tag hidden in one would be printed by the other."""
    texts = {
        re.sub(r"\s+", "", "".join(text.text or "" for text in branch.iter(f"{{{_W}}}t")))
        for branch in element
        if isinstance(branch.tag, str) and etree.QName(branch).localname in ("Choice", "Fallback")
    }  # the words printed only: a drawing's positions and sizes are text nodes too
    return len(texts) > 1


def _parse(data: bytes) -> etree._Element | None:
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return None


def _clip(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= 60 else text[:60] + "…"
