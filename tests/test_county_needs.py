"""What a real county's definition has to say, read back from the documents it produces."""

from __future__ import annotations

import re

import docx

from tests.conftest import run_cli
from tests.test_letters import edited_example, letter_name


def _letter_text(path) -> tuple[str, list[str]]:
    document = docx.Document(str(path))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return body, cells


def test_a_quota_with_decimals_reads_the_same_in_the_text_and_the_table(tmp_path):
    definition, _ = edited_example(
        tmp_path, "      unit: 万元\n", "      unit: 万元\n      decimals: 1\n"
    )
    status, _, err = run_cli("letters", definition, "-o", tmp_path / "out")
    assert status == 0, err
    body, cells = _letter_text(tmp_path / "out" / letter_name("经济开发区"))
    stated = re.search(r"社会抚养费征收任务(\d+(?:\.\d+)?)万元（全市共(\d+(?:\.\d+)?)万元）", body)
    assert stated, body
    own, total = stated.groups()
    assert not own.endswith(".0") and total == "2200"
    assert own in cells and total in cells


def test_minutes_give_findings_by_person(built_examples):
    from tests.conftest import texts

    lines = texts(built_examples["leading"] / "会议纪要.docx")
    assert any(line.startswith("会议认为，") for line in lines)
    assert any(line.startswith("韩景明指出，各乡镇（街道）党（工）委书记是") for line in lines)
    assert any(line.startswith("陆振华要求，县直各成员单位") for line in lines)
