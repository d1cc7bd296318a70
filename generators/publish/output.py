"""Put a finished packet on disk without ever leaving half of one behind.

Everything is written into a hidden staging folder beside the target first. A whole packet then
replaces the target folder by renames; a partial rebuild (``--only``, ``--units``) replaces its
files one by one with ``os.replace``. A failure — or a kill — before that point leaves the target
exactly as it was; the staging folder it leaves is hidden and removed by the next run.

Files are streamed into the staging folder one at a time (:class:`Staging`), so a batch of ten
thousand letters never holds more than one letter in memory. They are made durable just before
they are put in place: a small packet file by file (fsync), a large batch with one ``syncfs`` of
the file system, which costs about as much as a dozen fsyncs instead of one per file.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import glob
import hashlib
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath
from types import TracebackType
from typing import IO, Any, BinaryIO

from huiwu.errors import OutputExists, refuse_existing
from huiwu.lazy import MadeOnRead
from huiwu.publish import locks
from huiwu.publish.locks import try_lock

MANIFEST = "manifest.json"
"""The name of the manifest written into every packet."""

_STALE_SECONDS = 24 * 3600
_NEW_FILE = (
    os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
)
_LOCK = ".huiwu-lock"
_FSYNC_EACH_UP_TO = 32
"""Up to this many files are synced one by one; more with a single syncfs (Linux)."""


@dataclass(frozen=True, slots=True)
class Written:
    """One file of a packet: its name inside the packet, its digest, and the packet folder."""

    name: str
    folder: Path
    """The packet folder as the user gave it."""
    sha256: str

    @property
    def path(self) -> Path:
        """Where the file now is."""
        return self.folder / self.name


DIGEST_SIZE = 32
"""Bytes of a sha256 digest."""


class WrittenFiles(MadeOnRead[Written]):
    """The files written into a staging folder, in order: their names in a list and their
    digests side by side in one buffer; each :class:`Written` is made when asked for (a batch
    of ten thousand letters then holds little more than their names)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.names: list[str] = []
        self._digests = bytearray()

    def add(self, name: str, digest: bytes) -> Written:
        """Count one more file; ``digest`` is its sha256 (32 bytes)."""
        if len(digest) != DIGEST_SIZE:
            raise ValueError(f"not a sha256 digest: {digest!r}")
        self.names.append(name)
        self._digests += digest
        return self._at(len(self.names) - 1)

    def __len__(self) -> int:
        return len(self.names)

    def _at(self, index: int) -> Written:
        digest = self._digests[index * DIGEST_SIZE : (index + 1) * DIGEST_SIZE]
        return Written(self.names[index], self.folder, digest.hex())


class Staging:
    """A hidden folder beside ``target`` that files are written into, then swapped into place.

    Use as a context manager; nothing reaches ``target`` unless :meth:`commit` is called, and
    leaving the block without committing removes the staging folder::

        with Staging(target, force=False) as staging:
            for name, data in documents:
                staging.write(name, data)
            staging.commit()

    ``whole`` replaces the target folder as a unit; otherwise only the files written are replaced
    and the rest of the folder is kept. ``names`` (when known up front) lets a partial rebuild be
    refused before any work is done if it would overwrite files without ``force``.
    """

    def __init__(
        self,
        target: Path,
        *,
        force: bool,
        whole: bool = True,
        names: Iterable[str] | None = None,
    ) -> None:
        self.shown = target
        """The target as given: a link stays a link in the paths reported."""
        target = real_target(target)
        self.target = target
        self.force = force
        self.whole = whole
        refuse_overwrite(target, force=force, whole=whole, names=names)
        self._existed = target.exists()
        self.folder: Path | None = None
        self.written = WrittenFiles(self.shown)
        self._folders: set[str] = set()
        """The folders made inside the staging folder (relative, "" for itself)."""
        self._committed = False
        self._lock: IO[bytes] | None = None

    def __enter__(self) -> Staging:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        _recover(self.target)
        _remove_stale_staging(self.target)
        try:
            with uninterrupted():  # a Ctrl-C now would leave a folder no with-block removes
                self.folder = Path(
                    tempfile.mkdtemp(
                        prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent
                    )
                )
                # mkdtemp makes the folder private (0700); the packet it becomes is a folder
                # the user saves like any other, readable as their umask allows.
                os.chmod(self.folder, 0o777 & ~umask())
                self._lock = try_lock(self.folder / _LOCK)
            _refuse_concurrent(self.target, self.folder)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        with uninterrupted():
            if self._lock is not None:
                self._lock.close()
                self._lock = None
            if self.folder is not None:
                remove_tree(self.folder)

    def write(self, name: str, data: bytes) -> Written:
        """Write one file (``name`` may contain ``/``) into the staging folder."""
        return self.record(name, self.put(name, data))

    def put(self, name: str, data: bytes) -> bytes:
        """Write one file into the staging folder without counting it as written (a worker
        process of a batch does this; :meth:`record` it in this one); return its sha256
        digest (32 bytes: half the size of its hex form, to send and to keep)."""
        # A letter at a time, ten thousand times: the file's bytes in one unbuffered write.
        handle = os.open(self._file(name), _NEW_FILE, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
        finally:
            os.close(handle)
        return hashlib.sha256(data).digest()

    @contextmanager
    def stream(self, name: str) -> Iterator[BinaryIO]:
        """Write one file in pieces, for files too large to hold in memory (a seekable handle).
        It counts as written when the block ends."""
        path = self._path(name)
        with open(path, "w+b") as handle:
            yield handle
        self.record(name, file_digest(path))

    def place(self, name: str) -> Path:
        """Where a file called ``name`` goes, for a program that writes it itself (LibreOffice);
        call :meth:`adopt` once it is there."""
        return self._path(name)

    def adopt(self, name: str) -> Written:
        """Count a file another program wrote at :meth:`place` as written."""
        return self.record(name, file_digest(self._path(name)))

    def commit(self) -> WrittenFiles:
        """Move what was written into ``target``; return the files in the order written."""
        if self.folder is None or self._committed:
            raise RuntimeError("Staging.commit outside its with-block or twice")
        _sync(self.folder, self.written.names)
        if not self.force and not self._existed and self._written_meanwhile():
            raise OutputExists(_WRITTEN_MEANWHILE.format(target=self.shown))
        if not self.whole:
            _refuse_linked_folders(self.target, self.written.names)
        if self.whole or not self.target.exists():
            if self._lock is not None:
                self._lock.close()
                self._lock = None
            (self.folder / _LOCK).unlink(missing_ok=True)
            _swap_in(self.folder, self.target)
        else:
            for name in self.written.names:
                (self.target / name).parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.folder / name, (self.target / name))
        self._committed = True
        return self.written

    def _written_meanwhile(self) -> bool:
        """Whether another run filled ``target`` (absent when this run began) since."""
        if not self.target.is_dir():
            return self.target.exists()
        if self.whole:
            return any(self.target.iterdir())
        return any((self.target / name).exists() for name in self.written.names)

    def _path(self, name: str) -> Path:
        return Path(self._file(name))

    def _file(self, name: str) -> str:
        """Where ``name`` goes in the staging folder, its folder made: a string, as ten
        thousand letters are written without a path object each."""
        if self.folder is None or self._committed:
            raise RuntimeError("Staging.write outside its with-block or after commit")
        _ensure_inside(name)
        parent = os.path.dirname(name)
        if parent not in self._folders:
            (self.folder / parent).mkdir(parents=True, exist_ok=True)
            self._folders.add(parent)
        return os.path.join(self.folder, name)

    def record(self, name: str, digest: bytes) -> Written:
        """Count a file :meth:`put` into the staging folder as written (``digest``: what
        :meth:`put` returned)."""
        return self.written.add(name, digest)


@contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back while the block runs (creating or removing a staging
    folder): they take effect right after it, so that nothing is left half made or half
    removed. Only the main thread receives signals; elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "pthread_sigmask"
    ):
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def umask() -> int:
    """The process's file mode mask, read without changing it (Linux), else by setting it back."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A file written beside ``path`` and put in its place when the block ends; an error (or a
    kill) leaves the earlier file, if any, as it was."""
    path = real_target(path)
    if path.is_dir():
        raise OutputExists(f"{path}: 这是一个文件夹，这里应为文件；请换一个文件名")
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(path)
    temporary = ""
    try:
        with uninterrupted():  # the name is known before a Ctrl-C can stop this
            handle, temporary = tempfile.mkstemp(
                prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
            )
        os.chmod(temporary, 0o666 & ~umask())  # not mkstemp's private 0600: a file the user saves
        with os.fdopen(handle, "wb") as stream:
            locks.lock_open_file(stream)  # a live run's file; the next run removes a dead one's
            yield stream
        os.replace(temporary, path)
    finally:
        if temporary and os.path.exists(temporary):
            os.unlink(temporary)


def write_text_atomically(path: Path, text: str) -> None:
    """Write a UTF-8 text file (with a BOM, so Windows Notepad and WPS recognise it) in one step."""
    with atomic_file(path) as stream:
        stream.write(b"\xef\xbb\xbf" + text.encode("utf-8"))


def manifest_chunks(
    documents: Iterable[Mapping[str, str]], inputs: Iterable[Path | None] = ()
) -> Iterator[bytes]:
    """A packet's ``manifest.json``, a piece at a time to be written as it goes (the manifest of
    ten thousand letters would otherwise be built whole in memory, several times over): each
    document's entry (e.g. ``{材料, 文件, sha256}``) and the sha256 of every input file, so that
    a packet can be checked against what it was built from. Deterministic: no time, paths of
    inputs by file name only."""
    sources = [
        {"文件": path.name, "sha256": sha256_file(path)} for path in inputs if path is not None
    ]
    yield b"{"
    for index, (key, items) in enumerate((("输入", sources), ("材料", documents))):
        yield f'{"," if index else ""}\n  "{key}": ['.encode()
        empty = True
        for item in items:
            yield f"{'' if empty else ','}\n    {_entry_text(item)}".encode()
            empty = False
        yield b"]" if empty else b"\n  ]"
    yield b"\n}\n"


def _entry_text(item: Mapping[str, Any]) -> str:
    """``json.dumps(item, ensure_ascii=False, indent=2)`` as it stands in the manifest (4 spaces
    deeper); an entry of texts is written directly (the indenting encoder is pure Python, a
    tenth of a millisecond an entry, ten thousand times)."""
    if all(type(key) is str and type(value) is str for key, value in item.items()):
        fields = ",\n      ".join(
            f"{_json_text(key)}: {_json_text(value)}" for key, value in item.items()
        )
        return f"{{\n      {fields}\n    }}" if fields else "{}"
    return json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n    ")


_json_text: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]


def manifest_entry(
    document: str, name: str, sha256: str, unit: str | None = None
) -> dict[str, str]:
    """The manifest's one entry type: the document a file holds (``材料``), the unit for a
    per-unit document (``单位``), the file's name inside the packet and its sha256."""
    entry = {"材料": document, "文件": name, "sha256": sha256}
    return {"材料": document, "单位": unit, "文件": name, "sha256": sha256} if unit else entry


def read_manifest(folder: Path) -> list[dict[str, str]]:
    """The document entries of the manifest in ``folder``; empty when there is none (or it is
    not one huiwu wrote), so that a partial rebuild can update it."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    entries = data.get("材料") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return []
    return [entry for entry in entries if isinstance(entry, dict)]


def manifest_files(folder: Path) -> set[str]:
    """The names of the files the manifest in ``folder`` lists, read a line at a time: the
    manifest of ten thousand letters would take megabytes read whole. A manifest not laid out
    as huiwu writes it is read as JSON."""
    names: set[str] = set()
    documents = False
    try:
        with open(folder / MANIFEST, encoding="utf-8") as manifest:
            for line in manifest:
                documents = documents or line.startswith('  "材料": [')
                found = _FILE_LINE.match(line) if documents else None
                if found is not None:
                    names.add(json.loads(found.group(1)))
    except (OSError, ValueError):
        return set()
    return names or {entry.get("文件", "") for entry in read_manifest(folder)} - {""}


_FILE_LINE = re.compile(r' {6}"文件": ("(?:[^"\\]|\\.)*"),?$')


def with_earlier(
    entries: Sequence[Mapping[str, str]],
    folder: Path,
    earlier: list[dict[str, str]] | None = None,
) -> list[Mapping[str, str]]:
    """A partial rebuild's manifest entries: the earlier ones (``earlier``, else those of
    ``folder``'s manifest) of files kept and still there, then the new ``entries``."""
    rewritten = {entry["文件"] for entry in entries}
    kept = [
        entry
        for entry in (read_manifest(folder) if earlier is None else earlier)
        if entry.get("文件") not in rewritten and (folder / entry.get("文件", "")).is_file()
    ]
    return [*kept, *entries]


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes (hex), read in chunks."""
    return file_digest(path).hex()


def file_digest(path: Path) -> bytes:
    """The sha256 digest of a file's bytes (32 bytes), read in pieces into one buffer (a
    new megabyte for each piece of a large print file would be left as scattered memory)."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").digest()


_WRITTEN_MEANWHILE = (
    "{target}: 生成期间另一个程序（多半是同时运行的另一个 huiwu）写入了这个文件夹。"
    "为免覆盖，未写入任何文件；请确认后重新运行（要覆盖请加 --force）"
)


def real_target(target: Path) -> Path:
    """Where writing ``target`` really goes: a symbolic link is kept and written through to
    the folder or file it points at; a link that points nowhere is refused."""
    if not target.is_symlink():
        return target
    if not target.exists():
        raise OutputExists(f"{target}: 这是一个符号链接（快捷方式），但它指向的位置不存在")
    return target.resolve()


def refuse_archive(archive: Path, *, force: bool) -> None:
    """Raise :class:`OutputExists` before anything is written if the packet's zip cannot be
    written: a folder has its name, or an earlier zip is there without ``force``."""
    archive = real_target(archive)
    if archive.is_dir():
        raise OutputExists(f"{archive}: 已有同名的文件夹，无法写入压缩包；请先移走或改名")
    refuse_existing(archive, what="压缩包", force=force)


def copy_files(
    sources: Iterable[Path], folder: Path, *, what: str = "文件", force: bool
) -> list[Path]:
    """Copy ``sources`` into the user's ``folder``, each replacing a file of the same name only
    with ``force``. A link in the folder is never written through: the copy would land
    wherever it points, outside the folder."""
    folder = real_target(folder)
    folder.mkdir(parents=True, exist_ok=True)
    sources = list(sources)
    linked = [s.name for s in sources if (folder / s.name).is_symlink()]
    if linked:
        raise OutputExists(
            f"{folder}: {'、'.join(linked)} 是符号链接（快捷方式），为免写到别处，未复制；"
            "请先删去这些链接"
        )
    refuse_existing(
        folder, [s.name for s in sources if (folder / s.name).exists()], what=what, force=force
    )
    written = []
    for source in sources:
        with atomic_file(folder / source.name) as stream:
            stream.write(source.read_bytes())
        written.append(folder / source.name)
    return written


def _refuse_linked_folders(target: Path, names: Iterable[str]) -> None:
    """A partial rebuild puts files into the folders of ``target``: none may be a link."""
    for name in names:
        for parent in PurePath(name).parents:
            if str(parent) != "." and (target / parent).is_symlink():
                raise OutputExists(
                    f"{target / parent}: 这是一个符号链接（快捷方式），为免写到别处，未写入任何文件"
                )


def _refuse_concurrent(target: Path, own: Path) -> None:
    """Refuse when another live run is building ``target`` already (its staging folder is
    locked). Of two started at once, the one whose staging folder came first goes on. Without
    file locks (Windows) a killed run's folder cannot be told from a live one: no refusal."""
    if not locks.AVAILABLE:
        return
    mine = _started(own)
    for other in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        if other == own or not other.is_dir() or _abandoned(other):
            continue
        if _started(other) <= mine:
            raise OutputExists(
                f"{target}: 另一个 huiwu 正在生成这个文件夹。请等它结束后再运行，或换一个输出文件夹"
            )


def _started(folder: Path) -> tuple[int, str]:
    try:
        return folder.stat().st_mtime_ns, folder.name
    except OSError:
        return 0, folder.name


def _remove_stale_temporaries(path: Path) -> None:
    """Remove the temporary files killed runs left beside ``path`` (a live run holds a lock
    on its own)."""
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        if leftover.is_file() and not leftover.is_symlink() and _unlocked(leftover):
            leftover.unlink(missing_ok=True)


def _unlocked(path: Path) -> bool:
    if not locks.AVAILABLE:
        try:
            return time.time() - path.stat().st_mtime > _STALE_SECONDS
        except OSError:
            return False
    handle = locks.try_lock_existing(path)
    if handle is None:
        return False
    handle.close()
    return True


def refuse_overwrite(
    target: Path, *, force: bool, whole: bool, names: Iterable[str] | None = None
) -> None:
    """Raise :class:`OutputExists` if writing would replace earlier files without ``force``,
    or — even with ``force`` — replace a whole folder that holds anything huiwu did not write,
    or the folder the user is working in."""
    target = real_target(target)
    if whole:
        _refuse_working_folder(target)
    if not target.exists():
        return
    if not target.is_dir():
        raise OutputExists(f"{target}: 已存在同名文件，不是文件夹")
    if whole:
        _refuse_foreign(target)
    if force:
        return
    clashes = [name for name in (names or []) if (target / name).exists()]
    if whole and any(target.iterdir()):
        clashes = clashes or [p.name for p in sorted(target.iterdir())][:3]
    if clashes:
        refuse_existing(target, clashes, what="材料")


def _refuse_working_folder(target: Path) -> None:
    """``-o .`` (or a folder above the current one) would replace the folder the user is in."""
    try:
        here = Path.cwd().resolve()
        there = target.resolve()
    except OSError:
        return
    if there == here or there in here.parents:
        raise OutputExists(
            f"{target}: 这是当前所在的文件夹（或它的上级）。huiwu 会整个替换输出文件夹，"
            "请写一个新的文件夹名，如 -o 会议材料"
        )


_DESKTOP_FILES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})
"""Files the Windows and macOS file managers leave in any folder they show."""


def _refuse_foreign(target: Path) -> None:
    """A whole rebuild replaces the folder: refuse one that holds files huiwu did not write
    (``-o .`` or ``-o ~`` by mistake must never delete a user's files), or a document that is
    open in Word or WPS (their ``~$`` lock file)."""
    ours = manifest_files(target)

    def suspect(name: str) -> bool:
        base = name.rsplit("/", 1)[-1]
        if base.startswith("~$"):
            return True
        return name != MANIFEST and name not in ours and base.casefold() not in _DESKTOP_FILES

    foreign: list[str] = []
    for name in _files(target, suspect):
        base = name.rsplit("/", 1)[-1]
        if base.startswith("~$"):
            raise OutputExists(
                f"{target}: {base[2:]} 正在 Word 或 WPS 里打开，请先关闭它再重新生成"
            )
        foreign.append(name)
        if len(foreign) == 3:
            break
    if foreign:
        raise OutputExists(
            f"{target}: 这个文件夹里有不是 huiwu 生成的文件（{'、'.join(foreign)}等），"
            "为免误删，即使加 --force 也不会整个替换它。请换一个新的输出文件夹，或先把这些文件移走"
        )


def _files(folder: Path, wanted: Callable[[str], bool], prefix: str = "") -> Iterator[str]:
    """The files below ``folder`` that ``wanted`` picks, by name relative to it (``/`` between
    folders), as text, in the order of ``os.walk`` with each folder's files sorted by name.
    Only the files picked are gathered and sorted: a packet of ten thousand letters is looked
    through without a list of their names, or a path object for each."""
    picked, folders = [], []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    is_folder = entry.is_dir()
                except OSError:
                    is_folder = False
                if not is_folder:
                    if wanted(prefix + entry.name):
                        picked.append(entry.name)
                elif not entry.is_symlink():  # as os.walk: a linked folder is not gone into
                    folders.append(entry.name)
    except OSError:
        return  # as os.walk: a folder that cannot be listed is passed over
    for name in sorted(picked):
        yield prefix + name
    for name in folders:
        yield from _files(folder / name, wanted, f"{prefix}{name}/")


def _ensure_inside(name: str) -> None:
    # Names come from unit names typed by users; a name that climbs out is a bug upstream. The
    # staging folder is new and ours, so no link inside it can lead out: the name is enough.
    if ".." not in name and not os.path.isabs(name) and not os.path.splitdrive(name)[0]:
        return  # the usual name, told apart without parsing it
    pure = PurePath(name)
    if pure.is_absolute() or pure.drive or ".." in pure.parts:
        raise ValueError(f"output name escapes the output folder: {name}")


def _sync(folder: Path, names: list[str]) -> None:
    """Make the files written into ``folder`` (``names``) durable before they are put in place."""
    if len(names) > _FSYNC_EACH_UP_TO and _syncfs is not None:
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            if _syncfs(descriptor) == 0:
                return
        finally:
            os.close(descriptor)
    for name in names:
        with open(os.path.join(folder, name), "rb+") as handle:
            os.fsync(handle.fileno())


def _swap_in(staging: Path, target: Path) -> None:
    """Move the staged folder to ``target``, replacing an earlier one.

    On Linux the two folders are exchanged in one atomic step, so ``target`` always holds either
    the earlier packet or the new one. Elsewhere the earlier packet is first renamed aside; if
    the process dies between the two renames, the next run puts it back (:func:`_recover`).
    """
    if not target.exists():
        try:
            os.rename(staging, target)
        except OSError as exc:
            if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
                raise OutputExists(_WRITTEN_MEANWHILE.format(target=target)) from None
            raise
        return
    if _exchange(staging, target):
        remove_tree(staging)  # now holds the earlier packet
        return
    retired = target.parent / f".{target.name}.{os.getpid()}.old"
    os.rename(target, retired)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(retired, target)
        raise
    remove_tree(retired)


def remove_tree(folder: Path) -> None:
    """``shutil.rmtree(folder, ignore_errors=True)``, each folder's entries removed as they are
    read: shutil lists a whole folder first, which for a packet of ten thousand letters is
    megabytes at the very end of a build. As shutil does where the system allows, folders are
    opened relative to their parent and links are removed, never followed, so that a folder
    swapped for a link meanwhile leads nowhere."""
    if not _REMOVE_BY_FD:
        shutil.rmtree(folder, ignore_errors=True)
        return
    try:
        handle = os.open(folder, _FOLDER_FLAGS)
    except OSError:
        return  # gone, or a link: shutil.rmtree removes nothing either
    try:
        _empty(handle)
    finally:
        os.close(handle)
    with contextlib.suppress(OSError):
        os.rmdir(folder)


_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
_REMOVE_BY_FD = (
    {os.open, os.rmdir, os.unlink} <= os.supports_dir_fd
    and os.scandir in os.supports_fd
    and hasattr(os, "O_DIRECTORY")
    and hasattr(os, "O_NOFOLLOW")
)


def _empty(folder: int) -> None:
    """Remove what the open folder ``folder`` holds, as far as it can be removed. A folder
    read while its entries are removed may leave some unread: it is read again until a pass
    removes nothing."""
    removed = True
    while removed:
        removed = False
        with os.scandir(folder) as entries:
            for entry in entries:
                removed = _remove_entry(folder, entry) or removed


def _remove_entry(folder: int, entry: os.DirEntry) -> bool:
    try:
        if entry.is_dir(follow_symlinks=False):
            inner = os.open(entry.name, _FOLDER_FLAGS, dir_fd=folder)
            try:
                _empty(inner)
            finally:
                os.close(inner)
            os.rmdir(entry.name, dir_fd=folder)
        else:
            os.unlink(entry.name, dir_fd=folder)
    except OSError:
        return False
    return True


def _exchange(first: Path, second: Path) -> bool:
    """Atomically swap two paths with Linux's ``renameat2(RENAME_EXCHANGE)``; False if the
    system or file system cannot."""
    if _renameat2 is None:
        return False
    result = _renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), 2)
    return result == 0


def _load_libc(name: str, argtypes: list[Any]) -> Any:
    """A Linux libc function, or None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = getattr(libc, name)
    except (OSError, AttributeError):
        return None
    function.argtypes = argtypes
    function.restype = ctypes.c_int
    return function


_AT_FDCWD = -100
_renameat2 = _load_libc(
    "renameat2", [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
)
_syncfs = _load_libc("syncfs", [ctypes.c_int])


def _recover(target: Path) -> None:
    """Put back an earlier packet that a run killed mid-swap left renamed aside."""
    if target.exists():
        return
    for retired in sorted(target.parent.glob(f".{glob.escape(target.name)}.*.old")):
        if retired.is_dir():
            os.rename(retired, target)
            return


def _remove_stale_staging(target: Path) -> None:
    """Remove staging folders that killed runs left beside ``target``.

    A live run holds a lock on its staging folder's lock file; a folder whose lock can be taken
    belongs to a run that is gone. Without file locks (Windows), folders older than a day go.
    """
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        if leftover.is_dir() and not leftover.is_symlink() and _abandoned(leftover):
            remove_tree(leftover)


def _abandoned(folder: Path) -> bool:
    lock = folder / _LOCK
    if not locks.AVAILABLE or not lock.exists():
        try:
            return time.time() - folder.stat().st_mtime > _STALE_SECONDS
        except OSError:
            return False
    handle = try_lock(lock)
    if handle is None:
        return False
    handle.close()
    return True
