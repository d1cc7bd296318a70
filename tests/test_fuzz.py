"""Property-based tests of the definition loader and a bounded fuzz run of it.

Whatever bytes a user feeds huiwu, loading a definition either succeeds or raises
:class:`InputError` with located, Chinese problems — never another exception.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from huiwu.definition.load import load_definition
from huiwu.definition.yamlsrc import load_yaml_text
from huiwu.errors import InputError
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
