"""Shared fixtures: the example meetings, running the CLI, and reading produced DOCX files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from huiwu import cli

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
EXAMPLES = {
    "mobilisation": DATA / "mobilisation" / "meeting.yaml",
    "assessment": DATA / "assessment-report" / "meeting.yaml",
    "annual": DATA / "annual-assessment" / "meeting.yaml",
    "leading": DATA / "leading-group" / "meeting.yaml",
}

MEETING_HEAD = """\
meeting:
  title: 考核会
  organizer: 县委
  date: 2012-10-14
  time: "9:00"
  venue: 会议室
  host: 甲
people:
  甲: {title: 县长}
"""
"""The smallest valid meeting, for definitions that only test indicators."""


def run_cli(*args: str | Path) -> tuple[int, str, str]:
    """Run ``huiwu`` in-process; return (exit status, stdout, stderr)."""
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main([str(a) for a in args])
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="session")
def built_examples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each example meeting built once per session: name → packet folder."""
    packets = {}
    for name, definition in EXAMPLES.items():
        out = tmp_path_factory.mktemp(name) / "packet"
        status, _, err = run_cli("build", definition, "-o", out)
        assert status == 0, err
        packets[name] = out
    return packets


def paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph of a DOCX."""
    document = docx.Document(str(path))
    return [(p.style.name, p.text) for p in document.paragraphs]


def texts(path: Path) -> list[str]:
    """The text of every non-empty body paragraph."""
    return [text for _, text in paragraphs(path) if text.strip()]


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[str], Path]:
    """Write a definition text to a temporary meeting.yaml."""

    def write(text: str, name: str = "meeting.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def to_pdf(docx_path: Path, out_dir: Path) -> Path:
    """Convert with LibreOffice the way ``huiwu build --pdf`` does (office fonts mapped)."""
    return to_pdfs([docx_path], out_dir)[0]


def to_pdfs(docx_paths: list[Path], out_dir: Path) -> list[Path]:
    """Convert several documents at once, as ``huiwu build --pdf`` does (saves a second each)."""
    from huiwu.publish import pdf

    return pdf.convert([pdf.Job(path, out_dir / (path.stem + ".pdf")) for path in docx_paths])


def make_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """Write an .xlsx with the given sheets (first row = header), as Excel would save it."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path
