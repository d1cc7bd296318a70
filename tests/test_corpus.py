"""The corpus of bad inputs: each must give its Chinese message, exit status 1, no traceback,
and write nothing.

Definitions live as files in ``tests/corpus/definitions``; each starts with ``# 期望：regex``
(the message it must produce) and optionally ``# 行：N`` (the line the message must name).
Inputs that cannot be kept as readable files (wrong encodings, huge or binary files) are made
here by code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

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
    assert len(DEFINITIONS) + len(GENERATED) >= 50


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


GENERATED: dict[str, tuple[Callable[[], bytes], str]] = {
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


def test_the_valid_base_of_the_corpus_builds(tmp_path):
    path = tmp_path / "meeting.yaml"
    path.write_text(VALID, encoding="utf-8")
    status, _, err = run_cli("build", path, "-o", tmp_path / "out")
    assert status == 0, err


def test_a_missing_definition_and_a_folder(tmp_path):
    assert_refused(tmp_path / "没有.yaml", ["找不到定义文件"], None, tmp_path)
    assert_refused(tmp_path, ["这是一个文件夹"], None, tmp_path)
