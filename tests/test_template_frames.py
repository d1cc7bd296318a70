"""Built-in templates a user recognises: each kind shows its own document's frame, its fixed
wording and fields named in Chinese; a template written with the older English names still
renders."""

from __future__ import annotations

import re
import zipfile

import docx
import pytest
from huiwu.definition.load import load_definition
from huiwu.documents import KINDS
from huiwu.figures.inputs import prepare
from huiwu.render.renderer import Renderer
from huiwu.templates import BUILTIN_DIR

from tests.conftest import EXAMPLES

OFFICIAL = ("notice", "agenda", "hosting_script", "report", "speech", "ranking")


def _text(stem: str) -> str:
    document = docx.Document(str(BUILTIN_DIR / f"{stem}.docx"))
    cells = [p.text for t in document.tables for c in t._cells for p in c.paragraphs]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_each_kind_has_a_template_of_its_own():
    bodies = {}
    for stem in OFFICIAL:
        with zipfile.ZipFile(BUILTIN_DIR / f"{stem}.docx") as archive:
            bodies[stem] = archive.read("word/document.xml")
    assert len(set(bodies.values())) == len(OFFICIAL), "no two kinds share one code shell"


@pytest.mark.parametrize(
    ("stem", "shown"),
    [
        (
            "notice",
            [
                "{{ 版头.发文字号 }}",
                "签发人：",
                "{{ 主送机关 }}",
                "{{ 成文日期 }}",
                "{{ 回执.标识 }}",
                "抄送：",
                "{{ 版记.印发日期 }}印发",
            ],
        ),
        ("ranking", ["{{ 主送机关 }}", "{{ 附件标识 }}", "名次", "综合得分", "备注", "抄送："]),
        ("hosting_script", ["同志们：", "（散会）", "{{ 段.text }}"]),
        ("report", ["{{ 成文日期 }}", "{{ 段.text }}"]),
        ("speech", ["{{ 段.text }}"]),
        ("agenda", ["{{ 段.text }}"]),
        ("minutes", ["{{ 纪要机关 }}\t{{ 纪要日期 }}", "{{ 期数 }}", "{{ 项.label }}"]),
        ("sign_in", ["序号", "签名", "{{ 行.name }}"]),
    ],
)
def test_template_shows_its_frame_in_words_a_user_reads(stem, shown):
    text = _text(stem)
    for piece in shown:
        assert piece in text, piece
    names = set(re.findall(r"\{\{\s*([A-Za-z_]\w*)", text)) | set(
        re.findall(r"\{%p? *(?:for \w+ in|if) ([A-Za-z_]\w*)", text)
    )
    english = {"title_lines", "addressee", "body", "signature", "attachments", "banner_lines"}
    assert not names & (english | {"attendance", "meta_lines", "rows"}), names


def test_a_template_with_the_english_names_still_renders(tmp_path):
    """Templates users copied from an earlier huiwu name the frame in English."""
    document = docx.Document()
    document.add_paragraph("{%p for line in title_lines %}")
    document.add_paragraph("{{ line }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{{ addressee }}")
    document.add_paragraph("{%p for line in signature %}")
    document.add_paragraph("{{ line }}")
    document.add_paragraph("{%p endfor %}")
    template = tmp_path / "notice.docx"
    document.save(template)
    inputs = prepare(load_definition(EXAMPLES["mobilisation"]))
    context = KINDS["notice"].build_context(inputs)
    out = tmp_path / "out.docx"
    out.write_bytes(Renderer().render(template, context))
    lines = [p.text for p in docx.Document(str(out)).paragraphs if p.text.strip()]
    assert lines[0].startswith("关于召开") and lines[-1].endswith("日")
    assert any(line.startswith("各村（社区）") for line in lines)
