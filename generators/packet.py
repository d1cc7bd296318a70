"""Build a meeting's packet: the linear script from a loaded definition to files on disk.

load → expand texts → per-kind context → render → write. Nothing is written until every
document has rendered, so an error anywhere leaves the output folder untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .definition import LoadedDefinition
from .documents import Kind, selected_kinds
from .errors import InputError, Location, Problem
from .model import Definition
from .output import write_packet
from .render import render
from .templatekit import BUILTIN_DIR
from .texts import expand_texts


@dataclass(frozen=True)
class BuildOptions:
    """What ``huiwu build`` was asked to do."""

    out_dir: Path
    only: list[str] | None = None
    force: bool = False
    templates: Path | None = None


@dataclass(frozen=True)
class Built:
    """What a build wrote."""

    out_dir: Path
    files: list[Path]


def default_out_dir(loaded: LoadedDefinition) -> Path:
    """Beside the definition, a folder named after the meeting."""
    definition = expand_texts(loaded)
    return loaded.path.parent / _safe(definition.meeting.title)


def build(loaded: LoadedDefinition, options: BuildOptions) -> Built:
    """Render every selected document and write them into ``options.out_dir``."""
    definition = expand_texts(loaded)
    kinds = selected_kinds(definition, options.only)
    _check_available(loaded, definition, kinds)
    templates = TemplateSet(_user_templates(loaded, options))
    files = {
        kind.filename: render(templates.path(kind.template), kind.build_context(definition))
        for kind in kinds
    }
    partial = options.only is not None
    written = write_packet(files, options.out_dir, force=options.force, whole=not partial)
    return Built(options.out_dir, written)


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
    if options.templates is not None:
        return options.templates
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


_UNSAFE = str.maketrans({c: "_" for c in '/\\:*?"<>|'})


def _safe(name: str) -> str:
    cleaned = name.translate(_UNSAFE).strip(" .")
    return cleaned[:80] or "会务材料"
