"""``huiwu new``: start a meeting from a commented example definition."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from huiwu.errors import HuiwuError

EXAMPLE_NAME = "meeting.yaml"


def example_text() -> str:
    """The commented example definition shipped with huiwu."""
    return resources.files("huiwu").joinpath("resources/meeting_example.yaml").read_text("utf-8")


def write_example(folder: Path) -> Path:
    """Write the example into ``folder/meeting.yaml``; never overwrite an existing file."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / EXAMPLE_NAME
    if path.exists() or path.is_symlink():  # a link, even to nothing, is never written through
        raise HuiwuError(f"{path}: 文件已存在，未覆盖。请换一个文件夹，或先把它改名")
    # utf-8-sig: Windows Notepad and older WPS then recognise the encoding without asking.
    path.write_text(example_text(), encoding="utf-8-sig")
    return path
