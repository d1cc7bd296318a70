"""Build a meeting's packet: the linear script from a loaded definition to files on disk.

load → expand texts → per-kind context → render → write. Nothing is written until every
document has rendered, so an error anywhere leaves the output folder untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .definition import LoadedDefinition
from .documents import Kind, selected_kinds
from .errors import InputError, Location, Problem
from .filenames import safe_name
from .inputs import prepare
from .model import Definition
from .output import write_packet
from .render import Renderer
from .templatekit import BUILTIN_DIR


@dataclass(frozen=True)
class BuildOptions:
    """What ``huiwu build`` was asked to do."""

    out_dir: Path | None = None
    """None: beside the definition, in a folder named after the meeting."""
    only: list[str] | None = None
    force: bool = False
    templates: Path | None = None
    data: Path | None = None


@dataclass(frozen=True)
class Built:
    """What a build wrote."""

    out_dir: Path
    files: list[Path]
    notices: list[str] = field(default_factory=list)
    """Notes for the user that are not errors (e.g. a template rendered the slow way)."""


def build(loaded: LoadedDefinition, options: BuildOptions) -> Built:
    """Render every selected document and write them into ``options.out_dir``."""
    kinds = selected_kinds(loaded.model, options.only)
    _check_available(loaded, loaded.model, kinds)
    needing = [kind.name for kind in kinds if kind.needs_data(loaded.model)]
    inputs = prepare(loaded, options.data, need_data="、".join(needing) or None)
    templates = TemplateSet(_user_templates(loaded, options))
    renderer = Renderer()
    files = {
        kind.filename: renderer.render(templates.path(kind.template), kind.build_context(inputs))
        for kind in kinds
    }
    out_dir = options.out_dir or loaded.path.parent / safe_name(
        inputs.definition.meeting.title, "会务材料"
    )
    partial = options.only is not None
    written = write_packet(files, out_dir, force=options.force, whole=not partial)
    return Built(out_dir, written, renderer.notices)


def _check_available(loaded: LoadedDefinition, definition: Definition, kinds: list[Kind]) -> None:
    problems = [
        Problem(
            f"要生成{kind.name}，{kind.requires}",
            Location(loaded.path),
        )
        for kind in kinds
        if not kind.available(definition)
    ]
    if problems:
        raise InputError(problems)


def _user_templates(loaded: LoadedDefinition, options: BuildOptions) -> Path | None:
    return user_templates(loaded, options.templates)


def user_templates(loaded: LoadedDefinition, override: Path | None) -> Path | None:
    """The user's template folder: ``--templates`` if given, else ``templates`` in the
    definition (relative to it), else None."""
    if override is not None:
        return override
    if loaded.model.templates is not None:
        return loaded.resolve(loaded.model.templates)
    return None


class TemplateSet:
    """Finds each template in the user's folder first, then among the built-in ones."""

    def __init__(self, user_dir: Path | None) -> None:
        if user_dir is not None and not user_dir.is_dir():
            raise InputError([Problem("找不到模板文件夹", Location(user_dir))])
        self.user_dir = user_dir

    def path(self, stem: str) -> Path:
        """The template file to use for ``stem``."""
        if self.user_dir is not None:
            candidate = self.user_dir / f"{stem}.docx"
            if candidate.is_file():
                return candidate
        return BUILTIN_DIR / f"{stem}.docx"
