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
