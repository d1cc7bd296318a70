"""Property-based tests of the definition loader and a bounded fuzz run of it.

Whatever bytes a user feeds huiwu, loading a definition either succeeds or raises
:class:`InputError` with located, Chinese problems — never another exception.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from huiwu.definition.load import load_definition
from huiwu.definition.yamlsrc import load_yaml_text
from huiwu.errors import InputError
from huiwu.figures.inputs import prepare
from huiwu.text.jinja import MAX_OUTPUT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CORPUS = Path(__file__).parent / "corpus"
VALID = (CORPUS / "valid.yaml").read_bytes()
FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

_KEY = st.text(alphabet="abc会议人员时间_", min_size=1, max_size=6)
_SCALAR = st.text(alphabet="甲乙丙 会议9:0-，。abc", min_size=1, max_size=12).filter(
    lambda s: s.strip() == s
)
_TREE = st.recursive(
    _SCALAR,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_KEY, children, max_size=4),
    max_leaves=20,
)


def _stringify(value):
    if isinstance(value, dict):
        return {str(k): _stringify(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringify(v) for v in value]
    return str(value)


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


@given(st.dictionaries(_KEY, _TREE, min_size=1, max_size=5))
def test_any_yaml_tree_loads_as_typed_with_a_position_for_every_value(tree):
    text = yaml.safe_dump(tree, allow_unicode=True)
    loaded = load_yaml_text(text, Path("m.yaml"))
    assert loaded.problems == []
    assert loaded.data == _stringify(tree), "values stay the text the user typed"
    lines = text.count("\n") + 1
    for path in _paths(loaded.data):
        location = loaded.source.locate(path)
        assert location.line is not None and 1 <= location.line <= lines


def _refused_cleanly(path: Path) -> None:
    try:
        load_definition(path)
    except InputError as exc:
        assert exc.problems, "an error says what is wrong"
        for problem in exc.problems:
            assert problem.message and str(problem.location).startswith(str(path))


@FUZZ
@given(st.binary(max_size=400))
def test_fuzz_random_bytes(tmp_path, data):
    path = tmp_path / "meeting.yaml"
    path.write_bytes(data)
    _refused_cleanly(path)


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(VALID) - 1),
            st.sampled_from(
                [
                    b"",
                    b":",
                    b"-",
                    b"\t",
                    b'"',
                    b"{",
                    b"]",
                    b"&a",
                    b"*a",
                    b"\n  ",
                    b"\xe5",
                    b"#",
                    b"!!",
                    b"%",
                ]
            ),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_fuzz_mutated_definition(tmp_path, edits):
    data = bytearray(VALID)
    for position, insert in sorted(edits, reverse=True):
        if insert:
            data[position:position] = insert
        else:
            del data[position : position + 1]
    path = tmp_path / "meeting.yaml"
    path.write_bytes(bytes(data))
    _refused_cleanly(path)


@FUZZ
@given(st.text(alphabet="abc:-[]{}&*!|>'\"#\n \t会议", max_size=200))
def test_fuzz_yaml_punctuation(tmp_path, text):
    path = tmp_path / "meeting.yaml"
    path.write_text(text, encoding="utf-8")
    _refused_cleanly(path)


# Expressions and templates: whatever a text field or a template says, evaluating it ends in
# a document or in an InputError/HuiwuError with a Chinese message — never another exception,
# never unbounded work (each example is bounded by the sandbox's steps, sizes and time).
_TOKENS = [
    ".format(",
    "recursive",
    "{:>{}}",
    "[0]",
    "[9]",
    "items()",
    "keys()",
    "title",
    "{{",
    "}}",
    "{%",
    "%}",
    "for",
    "x",
    "in",
    "range(",
    ")",
    "(",
    "99999",
    "10",
    "**",
    "*",
    "+",
    "~",
    "|",
    "join",
    "replace(",
    "'a'",
    "'x'",
    ",",
    "if",
    "else",
    "endif",
    "endfor",
    "macro",
    "f(",
    "f",
    "endmacro",
    "set",
    "=",
    "[",
    "]",
    "9",
    "year",
    "meeting.title",
    "lipsum",
    "random",
    "loop",
    "recursive",
    "%",
    "'%0*d'",
    ".format(",
    "'{:>{}}'",
    "cn_num",
    "-",
    "//",
    "'会议'",
    "1e308",
    "center(",
    "999999",
    "list",
    "-1",
    "not",
]
_EXPRESSION = st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=14).map(" ".join)
_CJK = re.compile(r"[\u4e00-\u9fff]")
FUZZ_RENDER = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ_RENDER
@given(_EXPRESSION)
def test_fuzz_text_field_expressions(tmp_path, expression):
    text = VALID.decode().replace("  venue: 镇政府三楼会议室", f"  venue: {json.dumps(expression)}")
    path = tmp_path / "meeting.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        inputs = prepare(load_definition(path))
    except InputError as exc:
        assert exc.problems and all(_CJK.search(p.message) for p in exc.problems), exc.report()
        return
    assert len(inputs.definition.meeting.venue) <= MAX_OUTPUT


_AGENDA: dict[str, object] = {}


def _agenda() -> tuple[Path, dict]:
    """The built-in agenda template and the example meeting's context for it (made once)."""
    if not _AGENDA:
        from huiwu.documents import KINDS
        from huiwu.templates import BUILTIN_DIR

        inputs = prepare(load_definition(CORPUS / "valid.yaml"))
        context = {**inputs.names(), **KINDS["agenda"].build_context(inputs)}
        _AGENDA.update(template=BUILTIN_DIR / "agenda.docx", context=context)
    return _AGENDA["template"], _AGENDA["context"]  # type: ignore[return-value]


@FUZZ_RENDER
@given(_EXPRESSION)
def test_fuzz_template_expressions(tmp_path, expression):
    import docx
    from huiwu.errors import HuiwuError
    from huiwu.render.renderer import Renderer

    template, context = _agenda()
    document = docx.Document(str(template))
    document.add_paragraph(expression, style="公文正文")
    edited = tmp_path / "agenda.docx"
    document.save(str(edited))
    try:
        data = Renderer().render(edited, context)
    except HuiwuError as exc:
        assert _CJK.search(str(exc)), str(exc)
        return
    assert data.startswith(b"PK")
