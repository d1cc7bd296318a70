"""The corpus of bad inputs: each must give its Chinese message, exit status 1, no traceback,
and write nothing.

Definitions live as files in ``tests/corpus/definitions``; each starts with ``# 期望：regex``
(the message it must produce) and optionally ``# 行：N`` (the line the message must name).
Inputs that cannot be kept as readable files (wrong encodings, huge or binary files) are made
here by code.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook

from tests.conftest import run_cli

CORPUS = Path(__file__).parent / "corpus"
DEFINITIONS = sorted((CORPUS / "definitions").glob("*.yaml"))

VALID = (CORPUS / "valid.yaml").read_text(encoding="utf-8")


def expectations(path: Path) -> tuple[list[str], int | None]:
    """The ``# 期望：`` patterns and the ``# 行：`` line at the top of a corpus file."""
    patterns, line = [], None
    for text in path.read_text(encoding="utf-8").splitlines():
        if text.startswith("# 期望："):
            patterns.append(text.removeprefix("# 期望："))
        elif text.startswith("# 行："):
            line = int(text.removeprefix("# 行："))
        else:
            break
    return patterns, line


def assert_refused(path: Path, patterns: list[str], line: int | None, tmp_path: Path) -> None:
    out = tmp_path / "out"
    status, _, err = run_cli("build", path, "-o", out)
    assert status == 1, err
    assert "Traceback" not in err and "内部出错" not in err, err
    for pattern in patterns:
        assert re.search(pattern, err), f"{path.name}: {pattern!r} not in\n{err}"
    if line is not None:
        assert f"{path}:{line}:" in err, f"{path.name}: line {line} not named in\n{err}"
    assert not out.exists(), "nothing is written"


def test_the_corpus_holds_enough_cases():
    assert len(DEFINITIONS) + len(GENERATED) + len(WORKBOOKS) + len(TEMPLATES) >= 50


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.stem)
def test_bad_definition(path, tmp_path):
    patterns, line = expectations(path)
    assert patterns, f"{path.name} says what it expects"
    assert_refused(path, patterns, line, tmp_path)


def _alias_bomb() -> bytes:
    text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for index in range(1, 12):
        name, previous = f"n{index}", "a" if index == 1 else f"n{index - 1}"
        text += f"{name}: &{name} [{', '.join(['*' + previous] * 10)}]\n"
    return text.encode()


def _deep_nesting() -> bytes:
    return ("meeting: " + "[" * 5000 + "]" * 5000 + "\n").encode()


def _sign_in_alias_rows() -> bytes:
    """6.5 KB: one list of 1000 units named by an alias in 50 groups of 20 rows each."""
    units = ", ".join(f"村{i}" for i in range(1000))
    groups = "".join(f"  - {{label: 组{g}, units: *u, per_unit: 20}}\n" for g in range(49))
    head = f"  - {{label: 全体, units: &u [{units}], per_unit: 20}}\n"
    return (VALID + "attendees:\n" + head + groups).encode()


def _expanded_text() -> bytes:
    """A 400 KB text named by aliases 40 times: 16 million characters once expanded."""
    text = VALID + f"x-long: &t {'会' * 400_000}\n"
    text += "notes: [" + ", ".join(["*t"] * 40) + "]\n"
    return text.encode()


def _rostrum_row(people: int) -> bytes:
    names = [f"干部{i}" for i in range(people)]
    listed = "".join(f"  {name}: {{title: 科员}}\n" for name in names)
    text = VALID.replace("people:\n", "people:\n" + listed)
    return (text + f"rostrum: {{members: [{', '.join(names)}]}}\n").encode()


GENERATED: dict[str, tuple[Callable[[], bytes], str]] = {
    "sign-in-alias-rows": (
        _sign_in_alias_rows,
        "\\[attendees\\] 签到表会有1000005行.*超过上限5000行.*别名",
    ),
    "alias-expanded-text": (_expanded_text, "展开后的文字过多（超过 8388608 个字符）.*别名"),
    "rostrum-eleven-rows": (
        lambda: (VALID + "rostrum: {rows: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]}\n").encode(),
        "\\[rostrum.rows\\] 主席台写了11排，最多10排",
    ),
    "rostrum-one-row-501": (
        lambda: _rostrum_row(501),
        "\\[rostrum\\] 主席台共501人，不写 rows 时都坐一排，但一排最多50个座位",
    ),
    "gbk": (lambda: VALID.encode("gbk"), "GBK（ANSI）编码"),
    "utf16": (lambda: VALID.encode("utf-16"), "UTF-16 编码"),
    "binary": (lambda: b"PK\x03\x04\x00\x00" + bytes(range(256)), "二进制内容|不是 UTF-8"),
    "huge": (lambda: b"# " + b"x" * (30 * 1024 * 1024) + b"\n", "过大"),
    "alias-bomb": (_alias_bomb, "过多.*别名"),
    "deep-nesting": (_deep_nesting, "嵌套层数过多|内容过多|YAML"),
    "empty": (lambda: b"", "定义文件是空的"),
    "only-comments": (lambda: "# 会议定义\n# 待写\n".encode(), "定义文件是空的"),
    "top-level-list": (lambda: b"- meeting\n- people\n", "最外层应为.*列表"),
    "top-level-text": (lambda: "青石镇动员大会\n".encode(), "最外层应为.*一段文字"),
    "docx-given": (lambda: b"PK\x03\x04" + b"\x00" * 100, "二进制内容|不是 UTF-8"),
}


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_bad_definition_made_by_code(name, tmp_path):
    make, pattern = GENERATED[name]
    path = tmp_path / "meeting.yaml"
    path.write_bytes(make())
    assert_refused(path, [pattern], None, tmp_path)


WORKBOOK_DEFINITION = """\
workbook: {area: 全镇, sheet: 数据}
units: [东村, 西村]
indicators:
  出生政策符合率: {compute: percent, numerator: 政策内出生人数, denominator: 出生人数}
report:
  title: 工作汇报
  sections:
    - title: 主要指标
      paragraphs: [{indicator: 出生政策符合率}]
"""
HEADER = ["单位", "出生人数", "政策内出生人数"]
ROWS = [["东村", 100, 90], ["西村", 200, 190]]


def _book(path: Path, *, hidden: bool = False) -> None:
    book = Workbook()
    front = book.active
    front.title = "说明"
    data = book.create_sheet("数据" if not hidden else "原始数据")
    for row in [HEADER, *ROWS]:
        data.append(row)
    if hidden:
        data.sheet_state = "hidden"
    book.save(path)


def _locked(path: Path) -> None:
    plain = path.with_suffix(".plain.xlsx")
    _book(plain)
    with open(plain, "rb") as source, open(path, "wb") as target:
        OOXMLFile(source).encrypt("123456", target)


def _truncated(path: Path) -> None:
    _book(path)
    path.write_bytes(path.read_bytes()[:-200])


def _zip_bomb(path: Path) -> None:
    _book(path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (400 * 1024 * 1024))


def _million_rows(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _MINIMAL_XLSX.items():
            archive.writestr(name, text)
        rows = "".join(
            f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>村{i}</t></is></c></row>'
            for i in range(2, 1_000_002)
        )
        archive.writestr("xl/worksheets/sheet1.xml", _SHEET.format(rows=rows))


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MINIMAL_XLSX = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}
_SHEET = (
    f'<worksheet xmlns="{_MAIN}"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>单位</t></is></c></row>{rows}</sheetData></worksheet>'
)

WORKBOOKS: dict[str, tuple[str, Callable[[Path], None], str]] = {
    "not-xlsx": (
        "指标.xlsx",
        lambda p: p.write_text("单位,出生人数\n东村,100\n", "utf-8"),
        "不是 .xlsx 文件",
    ),
    "empty-file": ("指标.xlsx", lambda p: p.write_bytes(b""), "不是 .xlsx 文件"),
    "password": ("指标.xlsx", _locked, "设置了打开密码"),
    "xls": ("指标.xls", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0"), "另存为” .xlsx"),
    "et": ("指标.et", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0"), "另存为” .xlsx"),
    "csv": ("指标.csv", lambda p: p.write_text("单位,出生人数\n", "utf-8"), "另存为” .xlsx"),
    "truncated": ("指标.xlsx", _truncated, "不是 .xlsx 文件，或已损坏|无法读取"),
    "zip-bomb": ("指标.xlsx", _zip_bomb, "解压后过大"),
    "million-rows": ("指标.xlsx", _million_rows, "行数过多（\\d+ 行，上限 100000）"),
    "hidden-data-sheet": ("指标.xlsx", lambda p: _book(p, hidden=True), "找不到工作表“数据”"),
    "nan-cell": (
        "指标.xlsx",
        lambda p: _cells(p, "NaN"),
        "数据!B2: 错误：“出生人数”应填数字，现在是文字“NaN”",
    ),
    "infinity-cell": ("指标.xlsx", lambda p: _cells(p, "Infinity"), "现在是文字“Infinity”"),
    "minus-infinity-cell": ("指标.xlsx", lambda p: _cells(p, "-inf"), "现在是文字“-inf”"),
    "huge-exponent-cell": (
        "指标.xlsx",
        lambda p: _cells(p, "1e999999999"),
        "现在是文字“1e999999999”",
    ),
    "million-digit-cell": (
        "指标.xlsx",
        lambda p: _cells(p, "9" * 1_000_000),
        "现在是“9{30}…”，大得不合常理（超过 15 位）",
    ),
    "huge-float-cell": ("指标.xlsx", lambda p: _cells(p, 1e300), "现在是“1e\\+300”，大得不合常理"),
}


def _cells(path: Path, births: object) -> None:
    """The workbook with 东村's births replaced by ``births``."""
    book = Workbook()
    data = book.active
    data.title = "数据"
    for row in [HEADER, ["东村", births, 90], ["西村", 200, 190]]:
        data.append(row)
    book.save(path)


@pytest.mark.parametrize("name", sorted(WORKBOOKS))
def test_bad_workbook(name, tmp_path):
    file_name, make, pattern = WORKBOOKS[name]
    workbook = tmp_path / file_name
    make(workbook)
    definition = tmp_path / "meeting.yaml"
    definition.write_text(VALID + WORKBOOK_DEFINITION, encoding="utf-8")
    out = tmp_path / "out"
    status, _, err = run_cli("build", definition, "--data", workbook, "-o", out)
    assert status == 1, err
    assert "Traceback" not in err and "内部出错" not in err, err
    assert re.search(pattern, err), f"{name}: {pattern!r} not in\n{err}"
    assert str(workbook) in err
    assert not out.exists()


def _with_paragraph(text: str) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        document = docx.Document(str(path))
        document.add_paragraph(text, style="公文正文")
        document.save(str(path))

    return edit


def _rezip(path: Path, change: Callable[[dict[str, bytes]], None]) -> None:
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    change(members)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _broken_xml(members: dict[str, bytes]) -> None:
    members["word/document.xml"] = members["word/document.xml"][:-50]


def _bomb(members: dict[str, bytes]) -> None:
    members["word/media/image1.png"] = b"\0" * (250 * 1024 * 1024)


_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PICTURE_NS = (
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
)


def picture(link: str) -> str:
    """A drawing whose picture is ``r:link`` (fetched when shown) or ``r:embed``."""
    return (
        f'<w:r><w:drawing><wp:inline {_PICTURE_NS}><wp:extent cx="914400" cy="914400"/>'
        '<wp:docPr id="90" name="图片"/><a:graphic><a:graphicData '
        'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
        '<pic:nvPicPr><pic:cNvPr id="90" name="图片"/><pic:cNvPicPr/></pic:nvPicPr>'
        f"<pic:blipFill><a:blip {link}/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
        '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData>'
        "</a:graphic></wp:inline></w:drawing></w:r>"
    )


def with_parts(
    body: str = "",
    relationship: tuple[str, str, bool] | None = None,
    rels_part: str = "word/_rels/document.xml.rels",
    extra: dict[str, bytes] | None = None,
) -> Callable[[Path], None]:
    """A template edit: ``body`` (runs or paragraphs) at the start of the document, a
    relationship (type, target, external) added to ``rels_part``, ``extra`` parts added."""

    def change(members: dict[str, bytes]) -> None:
        if body:
            xml = members["word/document.xml"].decode()
            inner = body if body.startswith("<w:p") else f"<w:p>{body}</w:p>"
            members["word/document.xml"] = xml.replace("<w:body>", f"<w:body>{inner}", 1).encode()
        if relationship is not None:
            kind, target, external = relationship
            mode = ' TargetMode="External"' if external else ""
            rel = f'<Relationship Id="rIdX" Type="{_R}/{kind}" Target="{target}"{mode}/>'
            rels = members.get(
                rels_part, f'<Relationships xmlns="{_RELS}"></Relationships>'.encode()
            )
            members[rels_part] = (
                rels.decode().replace("</Relationships>", rel + "</Relationships>").encode()
            )
        members.update(extra or {})

    return lambda path: _rezip(path, change)


def _field(code: str) -> str:
    """A complex field whose code is split over two runs, as Word saves a retyped field."""
    half = len(code) // 2
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {code[:half]}</w:instrText></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{code[half:]} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>旧结果</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


UNSAFE_TEMPLATES: dict[str, tuple[Callable[[Path], None], str]] = {
    "external-image": (
        with_parts(picture('r:link="rIdX"'), ("image", "http://127.0.0.1:9/x.png", True)),
        "指向外部的链接（image）（位于 word/document.xml：http://127.0.0.1:9/x.png）",
    ),
    "local-file-image": (
        with_parts(picture('r:embed="rIdX"'), ("image", "file:///etc/passwd", True)),
        "指向外部的链接（image）.*file:///etc/passwd",
    ),
    "include-text-simple": (
        with_parts('<w:fldSimple w:instr=" INCLUDETEXT &quot;/etc/passwd&quot; "/>'),
        "插入其他文件文字的域（INCLUDETEXT）（位于 word/document.xml",
    ),
    "include-picture-split": (
        with_parts(_field('INCLUDEPICTURE "http://127.0.0.1:9/a.png" \\d')),
        "插入外部图片的域（INCLUDEPICTURE）",
    ),
    "link-field": (
        with_parts(_field('LINK Excel.Sheet.8 "C:\\\\a.xls" ""')),
        "链接其他文件的域（LINK）",
    ),
    "dde-field": (
        with_parts(_field('DDEAUTO cmd "/c calc" x')),
        "与其他程序交换数据的域（DDEAUTO）",
    ),
    "ole-object": (
        with_parts("<w:r><w:object/></w:r>", ("oleObject", "embeddings/oleObject1.bin", False)),
        "OLE 对象",
    ),
    "macros": (
        with_parts(
            relationship=("vbaProject", "vbaProject.bin", False),
            extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"},
        ),
        "宏（VBA）",
    ),
    "alt-chunk": (
        with_parts(
            "<w:altChunk/>",
            ("aFChunk", "chunk.html", False),
            extra={"word/chunk.html": b"<img src=x>"},
        ),
        "外部内容块（altChunk）",
    ),
    "alternate-content": (
        with_parts(
            '<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
            '<mc:Choice Requires="w14"><w:t>会议通知</w:t></mc:Choice>'
            "<mc:Fallback><w:t>{{ meeting.venue }}</w:t></mc:Fallback></mc:AlternateContent></w:r>"
        ),
        "两种显示方式文字不同的替代内容（AlternateContent）",
    ),
    "attached-template": (
        with_parts(
            relationship=("attachedTemplate", "file:///C:/Users/a/Normal.dotm", True),
            rels_part="word/_rels/settings.xml.rels",
        ),
        "附加的外部模板（位于 word/settings.xml",
    ),
    "vml-linked-image": (
        with_parts(
            f'<w:r><w:pict><v:shape {_PICTURE_NS}><v:imagedata src="file:///etc/hosts"/></v:shape></w:pict></w:r>'
        ),
        "链接的外部图片或文件（位于 word/document.xml：file:///etc/hosts）",
    ),
    "external-thumbnail": (
        with_parts(
            relationship=("metadata/thumbnail", "http://127.0.0.1:9/t.png", True),
            rels_part="_rels/.rels",
        ),
        "指向外部的链接（thumbnail）（位于 _rels/.rels：http://127.0.0.1:9/t.png）",
    ),
    "include-text-in-footer": (
        lambda path: _rezip(path, _footer_field),
        "插入其他文件文字的域（INCLUDETEXT）（位于 word/footer1.xml：INCLUDETEXT",
    ),
    "svg-with-linked-picture": (
        with_parts(
            extra={
                "word/media/image9.svg": b'<svg xmlns="http://www.w3.org/2000/svg" '
                b'xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href='
                b'"http://127.0.0.1:9/seal.png" width="10" height="10"/></svg>'
            }
        ),
        "SVG 图片里链接的外部文件（位于 word/media/image9.svg：http://127.0.0.1:9/seal.png）",
    ),
    "mail-merge-source": (
        lambda path: _rezip(path, _mail_merge),
        "邮件合并的外部数据源（位于 word/settings.xml）",
    ),
}
"""Templates that would reach outside themselves: each refused, naming the part."""


def _mail_merge(members: dict[str, bytes]) -> None:
    xml = members["word/settings.xml"].decode()
    merge = (
        '<w:mailMerge><w:mainDocumentType w:val="formLetters"/>'
        '<w:connectString w:val="DSN=名单;DBQ=C:\\名单.xls"/>'
        '<w:query w:val="SELECT * FROM 名单"/></w:mailMerge>'
    )
    opened = re.search(r"<w:settings[^>]*>", xml)
    assert opened is not None
    members["word/settings.xml"] = (xml[: opened.end()] + merge + xml[opened.end() :]).encode()


def _footer_field(members: dict[str, bytes]) -> None:
    xml = members["word/footer1.xml"].decode()
    field = _field('INCLUDETEXT "C:\\\\机密\\\\名单.docx"')
    members["word/footer1.xml"] = xml.replace("</w:p>", field + "</w:p>", 1).encode()


TEMPLATES: dict[str, tuple[Callable[[Path], None], str]] = {
    "not-a-docx": (lambda p: p.write_text("会议议程", "utf-8"), "不是 DOCX 文件"),
    "old-doc": (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(200)), "不是 DOCX 文件"),
    "truncated-zip": (lambda p: p.write_bytes(p.read_bytes()[:400]), "不是 DOCX 文件|已损坏"),
    "zip-bomb": (lambda p: _rezip(p, _bomb), "解压后超过 200 MB"),
    "broken-xml": (lambda p: _rezip(p, _broken_xml), "模板文件已损坏（里面的 XML 不完整"),
    "no-document-part": (
        lambda p: _rezip(p, lambda m: m.pop("word/document.xml")),
        "模板文件已损坏，无法打开",
    ),
    "fullwidth-braces": (
        _with_paragraph("会议地点：｛｛ meeting.venue ｝｝"),
        "全角符号“｛｛”.*出错的段落：“会议地点：｛｛ meeting.venue ｝｝”",
    ),
    "fullwidth-closing": (_with_paragraph("{{ meeting.venue ｝｝"), "全角符号“｝｝”"),
    "fullwidth-percent": (_with_paragraph("｛％ if year %}"), "全角符号“｛％”"),
    "unknown-variable": (
        _with_paragraph("{{ 会议名称 }}"),
        "不存在的变量“会议名称”（可用的有：.*meeting.*）。出错位置附近的文字：“{{ 会议名称 }}”",
    ),
    "syntax-error": (_with_paragraph("{% if %}"), "标签里缺少内容.*出错位置附近的文字：“{% if %}”"),
    "unclosed-for": (_with_paragraph("{% for x in body %}"), "没有对应的 {% endfor %}"),
    "unknown-tag": (_with_paragraph("{% include_file x %}"), "标签名不认识"),
    "unbalanced-braces": (_with_paragraph("{{ meeting.venue }"), "模板标签写错了"),
    "loop-over-number": (_with_paragraph("{% for x in year %}{{ x }}{% endfor %}"), "无法计算"),
    "nested-loops": (
        _with_paragraph(
            "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"
        ),
        "计算步数过多（循环和调用超过 1000000 次），已拒绝。出错位置附近的文字：“{% for i in range",
    ),
    "self-recursive-macro": (
        _with_paragraph("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"),
        "宏调用的层数过多",
    ),
    "exponent-tower": (
        _with_paragraph("会期{{ 9**99**99 }}天"),
        "过大的数.*出错位置附近的文字：“会期",
    ),
    "star-width": (_with_paragraph("{{ '%0*d' % (10**10, 1) }}"), "过大的内容"),
    "nested-format-width": (_with_paragraph("{{ '{:x>{}}'.format(1, 10**7) }}"), "过大的内容"),
    "lipsum": (_with_paragraph("{{ lipsum(3) }}"), "不存在的变量“lipsum”"),
    "random-filter": (
        _with_paragraph("{{ [1, 2] | random }}"),
        "不能使用过滤器“random”：它每次生成的结果不同",
    ),
    "misspelt-filter": (
        _with_paragraph("{{ year | cn_nmu }}"),
        "没有名为“cn_nmu”的过滤器.*是不是“cn_num”",
    ),
    "doubling-join": (
        _with_paragraph("{% macro f(s) %}{{ f(s ~ s) }}{% endmacro %}{{ f('xx') }}"),
        "过大的内容",
    ),
    "repeated-format-field": (
        _with_paragraph("{% set x = 'a' * 99999 %}{{ ('{0}' * 33333).format(x) }}"),
        r"过大的内容（可达 \d+ 个字符，上限 30000000）",
    ),
    "wrapstring-bomb": (
        _with_paragraph("{% set x = 'a' * 99999 %}{{ x | wordwrap(1, wrapstring=x) }}"),
        "过大的内容（可达",
    ),
    "expandtabs-bomb": (
        _with_paragraph("{% set t = '\\t' * 99999 %}{{ t.expandtabs(99999) }}"),
        "过大的内容（可达",
    ),
    "method-written": (_with_paragraph("{{ meeting.venue.upper }}"), "程序内部的对象"),
    **UNSAFE_TEMPLATES,
}


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_bad_template(name, tmp_path):
    make, pattern = TEMPLATES[name]
    folder = tmp_path / "模板"
    assert run_cli("templates", folder)[0] == 0
    template = folder / "agenda.docx"
    make(template)
    out = tmp_path / "out"
    status, _, err = run_cli("build", valid_definition(tmp_path), "-o", out, "--templates", folder)
    assert status == 1, err
    assert "Traceback" not in err and "内部出错" not in err, err
    assert str(template) in err
    assert re.search(pattern, err), f"{name}: {pattern!r} not in\n{err}"
    assert not out.exists()


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        (
            "{{ meeting.venue | replace(“三楼”, ‘四楼’) }}",
            "镇政府四楼会议室",
        ),  # Word's smart quotes
        ("{{ meeting.venue }}", "镇政府三楼会议室"),
    ],
)
def test_what_word_does_to_tags_is_tolerated(typed, printed, tmp_path):
    folder = tmp_path / "模板"
    run_cli("templates", folder)
    document = docx.Document(str(folder / "agenda.docx"))
    paragraph = document.add_paragraph(style="公文正文")
    half = len(typed) // 2  # Word splits a tag over runs when part of it is retyped or styled
    paragraph.add_run(typed[:half])
    paragraph.add_run(typed[half:]).bold = True
    document.save(str(folder / "agenda.docx"))
    out = tmp_path / "out"
    status, _, err = run_cli("build", valid_definition(tmp_path), "-o", out, "--templates", folder)
    assert status == 0, err
    assert [p.text for p in docx.Document(str(out / "会议议程.docx")).paragraphs][-1] == printed


def valid_definition(folder: Path) -> Path:
    path = folder / "meeting.yaml"
    path.write_text(VALID, encoding="utf-8")
    return path


def test_data_on_a_hidden_sheet_is_pointed_out(tmp_path):
    workbook = tmp_path / "指标.xlsx"
    _book(workbook, hidden=True)
    definition = tmp_path / "meeting.yaml"
    definition.write_text(
        VALID + WORKBOOK_DEFINITION.replace("sheet: 数据", "sheet: 说明"), encoding="utf-8"
    )
    status, _, err = run_cli("check", definition, "--data", workbook)
    assert status == 1
    assert "另有隐藏的工作表：原始数据" in err and "取消隐藏" in err


def test_the_valid_base_of_the_corpus_builds(tmp_path):
    path = tmp_path / "meeting.yaml"
    path.write_text(VALID, encoding="utf-8")
    status, _, err = run_cli("build", path, "-o", tmp_path / "out")
    assert status == 0, err


def test_a_missing_definition_and_a_folder(tmp_path):
    assert_refused(tmp_path / "没有.yaml", ["找不到定义文件"], None, tmp_path)
    assert_refused(tmp_path, ["这是一个文件夹"], None, tmp_path)
