"""Which template file each document uses: the user's edited copy if there is one, else the
built-in template."""

from __future__ import annotations

from pathlib import Path

from huiwu.definition.load import LoadedDefinition
from huiwu.errors import InputError, Location, Problem
from huiwu.publish.fonts import cache_dir
from huiwu.render import fontprofile
from huiwu.templates import BUILTIN_DIR


def user_templates(loaded: LoadedDefinition, override: Path | None) -> Path | None:
    """The user's template folder: ``--templates`` if given, else ``templates`` in the
    definition (relative to it), else None."""
    if override is not None:
        return override
    if loaded.model.templates is not None:
        return loaded.resolve(loaded.model.templates, ("templates",))
    return None


class TemplateSet:
    """Finds each template in the user's folder first, then among the built-in ones."""

    def __init__(self, user_dir: Path | None, *, fonts: str = fontprofile.STANDARD) -> None:
        if user_dir is not None and not user_dir.is_dir():
            raise InputError([Problem("找不到模板文件夹", Location(user_dir))])
        self.user_dir = user_dir
        self.fonts = fonts
        """The font profile (see :mod:`huiwu.render.fontprofile`) of the built-in templates."""
        self._used: dict[str, Path] = {}

    def path(self, stem: str) -> Path:
        """The template file to use for ``stem``."""
        if self.user_dir is not None:
            candidate = self.user_dir / f"{stem}.docx"
            if candidate.is_file():
                self._used[stem] = candidate
                return candidate
        return fontprofile.profiled_template(
            BUILTIN_DIR / f"{stem}.docx", self.fonts, cache_dir() / "templates"
        )

    def used_user_files(self) -> list[Path]:
        """The user's templates that were used, in the order first used."""
        return list(self._used.values())
