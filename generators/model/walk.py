"""Walk plain definition data guided by the schema's type annotations.

Later stages need "every field of kind X" — every person reference, every text that may hold an
expression — without each of them knowing the whole schema. The walker follows the model classes
alongside the data, so it works on raw YAML data (even when validation failed elsewhere) and on
``model_dump()`` output alike.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable, Iterator
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, BeforeValidator

PathKey = tuple[str | int, ...]

_per_type = functools.cache
"""Remember what a function says of a type: the schema's types are few and fixed, and walking
a definition asks about each of them for every value (the letters' texts, the references to
people), most of loading a definition's time before this."""


def iter_marked(
    model: type[BaseModel], data: Any, marker: type, path: PathKey = ()
) -> Iterator[tuple[PathKey, Any]]:
    """Yield ``(path, value)`` for every value in ``data`` whose field type carries ``marker``."""
    if not isinstance(data, dict):
        return
    for name, info in model.model_fields.items():
        if name not in data:
            continue
        if any(isinstance(m, marker) for m in info.metadata):
            yield (*path, name), _long_form(info.annotation, data[name])
        else:
            yield from _walk(info.annotation, data[name], marker, (*path, name))


def field_annotation(model: type[BaseModel], path: PathKey) -> Any | None:
    """The annotation of the field at ``path`` (dict keys and list indexes allowed), or None."""
    annotation: Any = model
    for part in path:
        annotation = _step(annotation, part)
        if annotation is None:
            return None
    return annotation


def model_at(model: type[BaseModel], path: PathKey) -> type[BaseModel] | None:
    """The model class whose fields live at ``path``, if the schema has one there."""
    annotation = field_annotation(model, path)
    return _as_model(annotation) if annotation is not None else None


def _step(annotation: Any, part: str | int) -> Any | None:
    for candidate in _alternatives(annotation):
        model = _as_model(candidate)
        if model is not None and isinstance(part, str) and part in model.model_fields:
            return model.model_fields[part].annotation
        origin = get_origin(candidate)
        args = get_args(candidate)
        if origin is list and isinstance(part, int) and args:
            return args[0]
        if origin is dict and isinstance(part, str) and len(args) == 2:
            return args[1]
    return None


def _walk(annotation: Any, data: Any, marker: type, path: PathKey) -> Iterator[tuple[PathKey, Any]]:
    data = _long_form(annotation, data)
    if _has_marker(annotation, marker):
        yield path, data
        return
    for candidate in _alternatives(annotation):
        model = _as_model(candidate)
        if model is not None and isinstance(data, dict):
            yield from iter_marked(model, data, marker, path)
            return
        origin = get_origin(candidate)
        args = get_args(candidate)
        if origin is list and isinstance(data, list) and args:
            for index, item in enumerate(data):
                yield from _walk(args[0], item, marker, (*path, index))
            return
        if origin is dict and isinstance(data, dict) and len(args) == 2:
            for key, item in data.items():
                yield from _walk(args[1], item, marker, (*path, key))
            return


def _long_form(annotation: Any, data: Any) -> Any:
    """``data`` as the schema's before-validators hand it on: a shorthand such as a bare name for
    ``{person: 名字}`` written out, so that the walk finds the fields inside it."""
    for convert in _before_validators(annotation):
        try:
            data = convert(data)
        except (ValueError, TypeError):
            return data  # not a shorthand; validation reports what is wrong with it
    return data


@_per_type
def _before_validators(annotation: Any) -> tuple[Callable[[Any], Any], ...]:
    found = []
    while get_origin(annotation) is Annotated:
        base, *metadata = get_args(annotation)
        found += [item.func for item in metadata if isinstance(item, BeforeValidator)]
        annotation = base
    return tuple(found)


@_per_type
def _alternatives(annotation: Any) -> tuple[Any, ...]:
    """The concrete types an annotation may stand for: Annotated and Optional unwrapped."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        out: list[Any] = []
        for arg in get_args(annotation):
            out.extend(_alternatives(arg))
        return tuple(out)
    return (annotation,)


@_per_type
def _has_marker(annotation: Any, marker: type) -> bool:
    if get_origin(annotation) is Annotated:
        if any(isinstance(m, marker) for m in get_args(annotation)[1:]):
            return True
        return _has_marker(get_args(annotation)[0], marker)
    if get_origin(annotation) in (Union, types.UnionType):
        return any(_has_marker(arg, marker) for arg in get_args(annotation))
    return False


@_per_type
def _as_model(annotation: Any) -> type[BaseModel] | None:
    for candidate in _alternatives(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None
