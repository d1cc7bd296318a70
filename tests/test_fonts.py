"""Fonts for the PCs that open the files: every face with a fallback, two profiles, and a PDF
that says when it had to set a face in another style."""

from __future__ import annotations

import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from huiwu.publish import fonts
from huiwu.templates import BUILTIN_DIR
from lxml import etree
from openxml_audit import OpenXmlValidator

from tests.conftest import DATA, EXAMPLES, run_cli

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STANDARD_ONLY = ("方正小标宋简体", "仿宋_GB2312", "楷体_GB2312")


def _part(path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


@pytest.mark.parametrize("path", sorted(BUILTIN_DIR.glob("*.docx")), ids=lambda p: p.stem)
def test_every_face_has_a_fallback_and_every_font_an_east_asian_name(path):
    table = _part(path, "word/fontTable.xml")
    for font in table.iter(f"{W}font"):
        alt = font.find(f"{W}altName")
        assert alt is not None and alt.get(f"{W}val"), font.get(f"{W}name")
    for run_fonts in _part(path, "word/styles.xml").iter(f"{W}rFonts"):
        assert run_fonts.get(f"{W}eastAsia"), etree.tostring(run_fonts.getparent().getparent())


@pytest.fixture(scope="module")
def common_notice(tmp_path_factory):
    """The official notice built with ``fonts: 通用`` (the faces Windows and WPS ship)."""
    folder = tmp_path_factory.mktemp("common")
    source = EXAMPLES["annual"].read_text(encoding="utf-8")
    (folder / "meeting.yaml").write_text("fonts: 通用\n" + source, encoding="utf-8")
    (folder / "指标.xlsx").write_bytes((DATA / "annual-assessment" / "指标.xlsx").read_bytes())
    status, _, err = run_cli("build", folder / "meeting.yaml", "-o", folder / "out")
    assert status == 0, err
    return folder / "out" / "会议通知.docx"


def test_common_profile_names_only_faces_windows_ships(common_notice):
    with zipfile.ZipFile(common_notice) as archive:
        for name in ("word/styles.xml", "word/fontTable.xml", "word/document.xml"):
            text = archive.read(name).decode("utf-8")
            assert not any(face in text for face in STANDARD_ONLY), name
    names = [f.get(f"{W}name") for f in _part(common_notice, "word/fontTable.xml").iter(f"{W}font")]
    assert sorted(names) == sorted({"仿宋", "楷体", "黑体", "宋体"})
    title = docx.Document(str(common_notice)).styles["公文标题"]
    fonts_element = title.element.rPr.find(qn("w:rFonts"))
    assert fonts_element.get(qn("w:eastAsia")) == "宋体" and title.font.bold
    assert OpenXmlValidator().validate(str(common_notice)).errors == []


def test_standard_profile_keeps_the_standards_names(built_examples):
    path = built_examples["annual"] / "会议通知.docx"
    with zipfile.ZipFile(path) as archive:
        text = archive.read("word/styles.xml").decode("utf-8")
    assert all(face in text for face in STANDARD_ONLY)


def test_pdf_warns_when_a_face_falls_back_to_another_style(monkeypatch):
    matched = {"仿宋_GB2312": "Noto Serif CJK JP", "黑体": "DejaVu Sans"}
    monkeypatch.setattr(fonts, "fontconfig_file", lambda: DATA)
    monkeypatch.setattr(fonts.shutil, "which", lambda name: "/usr/bin/fc-match")
    monkeypatch.setattr(
        fonts,
        "matched_family",
        lambda name, config: matched.get(name, fonts.OFFICE_FONTS[name].families[0]),
    )
    warning = fonts.fallback_warning()
    assert warning is not None
    assert "仿宋_GB2312用了“Noto Serif CJK JP”" in warning and "黑体用了“DejaVu Sans”" in warning
    assert "楷体" not in warning
    matched.clear()
    assert fonts.fallback_warning() is None
