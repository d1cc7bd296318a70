"""The workspace: one folder, one subfolder per meeting, and every file the page touches in it.

Every path taken from a request goes through :meth:`Workspace.meeting` or :func:`inside`, which
resolve it (following symlinks) and refuse anything that ends up outside the workspace.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

DEFINITION = "meeting.yaml"
VERSIONS = "历史版本"
"""Where each save keeps the version it replaced, in the meeting's folder."""
KEEP_VERSIONS = 30
WORKBOOK = "指标.xlsx"
"""The uploaded workbook's name when the definition does not name one."""
TEMPLATES = "模板"
"""The meeting's own templates, uploaded from the page."""
MAX_UPLOAD = 20 * 1024 * 1024
MAX_UNZIPPED = 200 * 1024 * 1024

_NAME = re.compile(r"^[^/\\:*?\"<>|\x00-\x1f.][^/\\:*?\"<>|\x00-\x1f]{0,79}$")


class WorkspaceError(Exception):
    """A request the workspace refuses; the message is for the user (Chinese)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class Conflict(WorkspaceError):
    """The file changed since the page read it; saving would lose the other change."""


def inside(root: Path, path: Path) -> Path:
    """``path`` resolved, if it stays inside ``root`` (symlinks followed); else refuse."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise WorkspaceError("路径超出了工作文件夹，已拒绝。", 403)
    return resolved


def check_name(name: str) -> str:
    """A folder or file name typed by the user: one plain component, no separators."""
    name = name.strip()
    if not _NAME.match(name):
        raise WorkspaceError(
            f'名称“{name}”不能用：请只写一个文件夹名，不含 / \\ : * ? " < > |，也不以点开头。'
        )
    return name


def etag(data: bytes) -> str:
    """The version of a file's content, as the page keeps it to detect a stale save."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Meeting:
    """One meeting's folder in the workspace."""

    id: str
    folder: Path

    @property
    def definition(self) -> Path:
        """The meeting's definition file."""
        return self.folder / DEFINITION

    @property
    def templates(self) -> Path:
        """The folder of the meeting's own templates (may not exist)."""
        return self.folder / TEMPLATES


class Workspace:
    """The folder ``huiwu serve`` was started on."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._locks: dict[Path, threading.Lock] = {}
        self._guard = threading.Lock()

    def meetings(self) -> list[Meeting]:
        """Every subfolder holding a definition, by name."""
        found = []
        for folder in sorted(self.root.iterdir()):
            if folder.is_dir() and (folder / DEFINITION).is_file():
                try:
                    found.append(self.meeting(folder.name))
                except WorkspaceError:
                    continue  # a symlink out of the workspace is not listed
        return found

    def meeting(self, meeting_id: str, *, exists: bool = True) -> Meeting:
        """The meeting of that folder name, checked to be a folder of the workspace."""
        name = check_name(meeting_id)
        folder = inside(self.root, self.root / name)
        if exists and not (folder / DEFINITION).is_file():
            raise WorkspaceError(f"没有名为“{name}”的会议。", 404)
        return Meeting(name, folder)

    def lock(self, path: Path) -> threading.Lock:
        """One lock per file, so that two saves of it never interleave."""
        with self._guard:
            return self._locks.setdefault(path, threading.Lock())

    def save(self, path: Path, text: str, expected: str | None) -> str:
        """Write ``text`` to ``path`` if it still holds the version ``expected``; keep the old.

        Returns the new version. Raises :class:`Conflict` when the file was changed since it
        was read (in another tab, or in Notepad), so neither change is lost silently.
        """
        with self.lock(path):
            old = path.read_bytes() if path.exists() else None
            if old is not None and expected != etag(old):
                raise Conflict(
                    "文件在您打开之后已被修改（可能在另一个标签页或其他程序里），为免覆盖别人的修改，"
                    "未保存。请复制您的改动，点“重新载入”后再改。",
                    409,
                )
            bom = old is not None and old.startswith(b"\xef\xbb\xbf")
            data = (("\ufeff" if bom else "") + text.lstrip("\ufeff")).encode("utf-8")
            if old is not None:
                self._keep_version(path, old)
            write_atomically(path, data)
            return etag(data)

    def _keep_version(self, path: Path, data: bytes) -> None:
        folder = path.parent / VERSIONS
        folder.mkdir(exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = folder / f"{path.stem}-{stamp}{path.suffix}"
        counter = 1
        while target.exists():
            target = folder / f"{path.stem}-{stamp}-{counter}{path.suffix}"
            counter += 1
        target.write_bytes(data)
        kept = sorted(folder.glob(f"{path.stem}-*{path.suffix}"))
        for stale in kept[:-KEEP_VERSIONS]:
            stale.unlink()


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step: a reader sees the old file or the new one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".huiwu-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


OFFICE_MEMBERS = {
    "xlsx": ("[Content_Types].xml", "xl/workbook.xml", "Excel 工作簿（.xlsx）"),
    "docx": ("[Content_Types].xml", "word/document.xml", "Word 文档（.docx）"),
}


def check_office_file(data: bytes, kind: str) -> None:
    """Refuse an upload that is not an Office Open XML file of ``kind`` (by content, not name)."""
    content_types, main, label = OFFICE_MEMBERS[kind]
    if not data.startswith(b"PK\x03\x04"):
        hint = "（.xls/.doc 请先另存为新格式）" if data.startswith(b"\xd0\xcf\x11\xe0") else ""
        raise WorkspaceError(f"上传的文件不是{label}{hint}。", 415)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise WorkspaceError(f"上传的文件已损坏，不是完整的{label}。", 415) from None
    names = {info.filename for info in infos}
    if content_types not in names or main not in names:
        raise WorkspaceError(f"上传的文件不是{label}。", 415)
    if sum(info.file_size for info in infos) > MAX_UNZIPPED:
        raise WorkspaceError("上传的文件解压后过大，已拒绝。", 413)


REFERENCES = (("extends",), ("workbook", "file"), ("templates",))
"""The fields of a definition that name other files, relative to the definition."""


def outside_references(root: Path, definition: Path, text: str | None = None) -> list[str]:
    """The files a definition (and those it extends) names outside the workspace, as the
    definition writes them. The page reads none of them: through the page, a definition is a way
    to use the workspace's files, never to read others on the computer."""
    import yaml

    found: list[str] = []
    seen: set[Path] = set()
    current: Path | None = definition
    source = text
    while current is not None and current not in seen and len(seen) < 8:
        seen.add(current)
        try:
            raw = source if source is not None else current.read_text("utf-8-sig")
            data = yaml.safe_load(raw)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return found  # huiwu's own check reports what is wrong with it
        current, source = None, None
        if not isinstance(data, dict):
            return found
        for path in REFERENCES:
            value: object = data
            for key in path:
                value = value.get(key) if isinstance(value, dict) else None
            if not isinstance(value, str) or not value.strip():
                continue
            target = (definition.parent / value.strip()).resolve()
            if not target.is_relative_to(root.resolve()):
                found.append(f"{'.'.join(path)}: {value.strip()}")
            elif path == ("extends",):
                current = target
        definition = current if current is not None else definition
    return found
