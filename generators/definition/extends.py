"""``extends:``: a definition that starts from another one and says only what differs.

Next year's meeting, or the township version of a county meeting, is last definition plus a few
changes. The rules, also stated in the reference page:

- mappings are merged key by key, as deep as they go (``people``, ``meeting``, ``notice`` …);
- a text, number, date or list written here replaces the one from the other file;
- ``键+:`` (the key with a plus sign) appends this list to the other file's list;
- ``键: null`` (or ``~``) drops the other file's value.

Every value keeps the file and line it was written in, so an error in an inherited value points
into the file that holds it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from huiwu.definition.yamlsrc import LoadedYaml, PathKey, SourceMap, load_yaml, load_yaml_text
from huiwu.errors import InputError, Problem

EXTENDS = "extends"
APPEND = "+"
MAX_DEPTH = 8


def load_chain(path: Path, *, text: str | None = None) -> tuple[LoadedYaml, tuple[Path, ...]]:
    """Load ``path`` and every definition it extends, merged; also the parents' paths.

    ``text``: the definition's YAML to use instead of the file's content (an editor's unsaved
    buffer); ``path`` still names it and locates the files it extends."""
    return _load(path.resolve(), (), path, text)


def _load(
    path: Path, seen: tuple[Path, ...], shown: Path, text: str | None = None
) -> tuple[LoadedYaml, tuple[Path, ...]]:
    loaded = load_yaml(shown) if text is None else load_yaml_text(text, shown)
    data = loaded.data
    if not isinstance(data, dict) or EXTENDS not in data:
        return loaded, ()
    parent_path = _parent_path(loaded, path, seen)
    parent, grandparents = _load(parent_path.resolve(), (*seen, path), parent_path)
    if not isinstance(parent.data, dict):
        raise InputError(
            [
                Problem(
                    f"extends 指向的文件 {parent_path} 不是一份会议定义",
                    loaded.source.locate((EXTENDS,)),
                )
            ]
        )
    merged = merge(parent, loaded)
    return merged, (parent_path, *grandparents)


def _parent_path(loaded: LoadedYaml, path: Path, seen: tuple[Path, ...]) -> Path:
    value = loaded.data[EXTENDS]
    location = loaded.source.locate((EXTENDS,))
    if not isinstance(value, str) or not value.strip():
        raise InputError(
            [Problem("extends 应写另一份定义文件的路径，如 ../2012/meeting.yaml", location)]
        )
    parent = path.parent / value.strip()
    if parent.resolve() in (*seen, path):
        raise InputError([Problem(f"extends 形成了循环：{value} 又回到了本文件", location)])
    if len(seen) >= MAX_DEPTH:
        raise InputError([Problem(f"extends 层数过多（超过 {MAX_DEPTH} 层）", location)])
    if not parent.is_file():
        raise InputError([Problem(f"extends 指向的文件不存在：{parent}", location)])
    return parent


def merge(parent: LoadedYaml, child: LoadedYaml) -> LoadedYaml:
    """``child`` laid over ``parent`` by the rules above; positions from both files."""
    source = SourceMap(child.source.file)
    _copy_positions(parent.source, source, (), ())
    problems = [*parent.problems, *child.problems]
    data = _merge_mapping(parent.data, child.data, (), (), child.source, source, problems)
    data[EXTENDS] = child.data[EXTENDS]
    return LoadedYaml(data, source, problems)


def _merge_mapping(
    base: dict[str, Any],
    over: dict[str, Any],
    over_path: PathKey,
    path: PathKey,
    over_source: SourceMap,
    out: SourceMap,
    problems: list[Problem],
) -> dict[str, Any]:
    """Merge ``over`` (at ``over_path`` in its file) into ``base`` (at ``path`` in the result)."""
    result = {key: value for key, value in base.items() if key != EXTENDS}
    for raw_key, value in over.items():
        if raw_key == EXTENDS and not path:
            continue
        written = (*over_path, raw_key)
        key = raw_key.removesuffix(APPEND) if len(raw_key) > 1 else raw_key
        here = (*path, key)
        if key != raw_key:
            if not isinstance(value, list) or not isinstance(result.get(key, []), list):
                problems.append(
                    Problem(
                        f"“{raw_key}”：键名后加“+”表示在被沿用的定义的列表后追加，只能用于列表",
                        over_source.locate(written, key=True),
                    )
                )
                continue
            offset = len(result.get(key, []))
            result[key] = [*result.get(key, []), *value]
            _copy_positions(over_source, out, written, here, offset=offset)
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            _position_of(over_source, out, written, here)
            result[key] = _merge_mapping(
                result[key], value, written, here, over_source, out, problems
            )
        elif value is None:
            result.pop(key, None)
            _forget(out, here)
        else:
            _forget(out, here)
            result[key] = value
            _copy_positions(over_source, out, written, here)
    return result


def _copy_positions(
    source: SourceMap, out: SourceMap, old: PathKey, new: PathKey, *, offset: int = 0
) -> None:
    """Copy the positions of ``old`` and everything under it to ``new`` (list items shifted)."""
    size = len(old)
    for table, target in ((source.values, out.values), (source.keys, out.keys)):
        for path, position in table.items():
            if path[:size] != old:
                continue
            rest = path[size:]
            if offset and rest and isinstance(rest[0], int):
                rest = (rest[0] + offset, *rest[1:])
            moved = (*new, *rest)
            target[moved] = position
            out.origins[moved] = source.file_of(path)


def _position_of(source: SourceMap, out: SourceMap, old: PathKey, new: PathKey) -> None:
    for table, target in ((source.values, out.values), (source.keys, out.keys)):
        if old in table:
            target[new] = table[old]
            out.origins[new] = source.file_of(old)


def _forget(out: SourceMap, path: PathKey) -> None:
    size = len(path)
    for table in (out.values, out.keys, out.origins):
        for key in [k for k in table if k[:size] == path]:
            del table[key]
