"""``huiwu new``: start a meeting from a commented example definition."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from huiwu.errors import HuiwuError, refuse_existing

EXAMPLE_NAME = "meeting.yaml"


def example_text() -> str:
    """The commented example definition shipped with huiwu."""
    return resources.files("huiwu").joinpath("resources/meeting_example.yaml").read_text("utf-8")


def write_example(folder: Path, *, force: bool = False) -> Path:
    """Write the example into ``folder/meeting.yaml``; an existing file only with ``force``."""
    path = folder / EXAMPLE_NAME
    if path.is_symlink():  # a link, even to nothing, is never written through
        raise HuiwuError(f"{path}: 这是一个符号链接（快捷方式），为免写到别处，未写入")
    refuse_existing(path, force=force)
    folder.mkdir(parents=True, exist_ok=True)
    # utf-8-sig: Windows Notepad and older WPS then recognise the encoding without asking.
    path.write_text(example_text(), encoding="utf-8-sig")
    return path
