"""Load a meeting definition: YAML → validated :class:`Definition`, or every problem at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from huiwu.definition.checks import check_definition, check_references
from huiwu.definition.extends import load_chain
from huiwu.definition.schema_errors import translate
from huiwu.definition.yamlsrc import PathKey, SourceMap
from huiwu.errors import InputError, Location, Problem, Problems
from huiwu.model import Definition
from pydantic import ValidationError


@dataclass(frozen=True)
class LoadedDefinition:
    """A validated definition together with the file it came from."""

    path: Path
    model: Definition
    source: SourceMap
    parents: tuple[Path, ...] = ()
    """The definitions this one ``extends``, nearest first."""

    def resolve(self, relative: str | Path, field: PathKey = ()) -> Path:
        """A path written in the definition at ``field``, taken relative to the folder of the
        file it was written in (which, through ``extends``, may be another definition's)."""
        return (self.source.file_of(field).parent / relative).resolve()


def load_definition(path: str | Path, *, text: str | None = None) -> LoadedDefinition:
    """Read, parse and validate ``path``; raise :class:`InputError` listing every problem.

    ``text``: YAML to validate instead of the file's content (an editor's unsaved buffer)."""
    path = Path(path)
    loaded, parents = load_chain(path, text=text)
    data = loaded.data
    if not isinstance(data, dict) and loaded.problems:
        raise InputError(loaded.problems)
    if data is None:
        raise InputError(
            [Problem("定义文件是空的。可以用 huiwu new 生成一份示例来改", Location(path))]
        )
    if not isinstance(data, dict):
        raise InputError(
            [
                Problem(
                    "定义文件最外层应为“键: 值”形式（meeting: …、people: … 等），"
                    "现在是" + ("列表" if isinstance(data, list) else "一段文字"),
                    loaded.source.locate(()),
                )
            ]
        )
    problems = Problems()
    problems.extend(loaded.problems)
    problems.extend(check_references(data, loaded.source))
    try:
        model = Definition.model_validate(data)
    except ValidationError as exc:
        problems.extend(translate(exc, Definition, loaded.source))
        problems.raise_if_errors()
        raise  # unreachable: a ValidationError always carries at least one error
    problems.extend(check_definition(model, loaded.source))
    problems.raise_if_errors()
    return LoadedDefinition(path, model, loaded.source, parents)
