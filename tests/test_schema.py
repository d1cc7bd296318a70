"""Every DOCX huiwu ships or writes is valid against the ECMA-376 schemas, as Word checks them.

Word reports "unreadable content" for elements out of schema order even where LibreOffice reads
them silently, so the check runs over every built-in template and every output of every example
(letters included), and the element order can never drift unnoticed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from huiwu.templates import BUILTIN_DIR
from openxml_audit import OpenXmlValidator

from tests.conftest import DATA, run_cli

VALIDATOR = OpenXmlValidator()


def _problems(path: Path) -> list[str]:
    result = VALIDATOR.validate(str(path))
    return [f"{e.part_uri} {e.path}: {e.description}" for e in result.errors]


@pytest.mark.parametrize("path", sorted(BUILTIN_DIR.glob("*.docx")), ids=lambda p: p.stem)
def test_builtin_template_is_schema_valid(path):
    assert _problems(path) == []


def test_every_output_of_the_examples_is_schema_valid(built_examples, tmp_path):
    status, _, err = run_cli(
        "build", DATA / "responsibility-letters" / "meeting.yaml", "-o", tmp_path / "letters"
    )
    assert status == 0, err
    folders = [*built_examples.values(), tmp_path / "letters"]
    documents = [path for folder in folders for path in sorted(folder.rglob("*.docx"))]
    assert len(documents) > 20
    problems = {str(path): _problems(path) for path in documents}
    assert {path: found for path, found in problems.items() if found} == {}


def test_the_validator_sees_elements_out_of_order(tmp_path):
    """The check itself works: the Normal style's w:jc before w:spacing, as once shipped."""
    import zipfile

    source = BUILTIN_DIR / "notice.docx"
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(broken, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/styles.xml":
                # Normal is the first style; move its w:jc in front of its w:spacing.
                text = data.decode("utf-8")
                jc = '<w:jc w:val="both"/>'
                text = text.replace(jc, "", 1)
                spacing = text.index("<w:spacing", text.index('w:styleId="Normal"'))
                data = (text[:spacing] + jc + text[spacing:]).encode("utf-8")
            zout.writestr(item, data)
    assert any("spacing" in problem for problem in _problems(broken))
