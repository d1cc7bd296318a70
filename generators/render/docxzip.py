"""Write DOCX zips deterministically: the same document always gives the same bytes.

python-docx stamps every zip entry with the current time; offices keep packets in version
folders and compare them, so huiwu writes archives itself with a fixed timestamp, a fixed member
order (``[Content_Types].xml`` first, as Word expects, then by name) and fixed attributes.

The writer works on already-compressed members (:class:`Entry`), so that a batch renderer can
deflate the parts of a template that never change once and copy their bytes into every document
(:mod:`huiwu.render.prepared`). Members can also be streamed (:meth:`ZipWriter.open_member`) to write a
print file of thousands of letters without holding it in memory.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

FIXED_TIME = (1980, 1, 1, 0, 0, 0)

_FIRST = "[Content_Types].xml"

# The fields zipfile writes for a deflated member, fixed so that every platform gives the same
# bytes: version 2.0, made on Unix, mode rw-r--r--, 1980-01-01 00:00:00.
_VERSION = 20
_MADE_ON_UNIX = 3
_DEFLATED = 8
_DOS_TIME = 0
_DOS_DATE = (FIXED_TIME[0] - 1980) << 9 | FIXED_TIME[1] << 5 | FIXED_TIME[2]
_EXTERNAL_ATTR = 0o644 << 16
_UTF8_NAME = 0x800
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_LIMIT = 0xFFFFFFFF
_TOO_LARGE = "archive too large for a DOCX (more than 65535 members or 4 GB)"
_OFFSET_AT = _CENTRAL.size - 4
"""Where the local header's offset stands in a central directory record."""


@dataclass(frozen=True)
class Entry:
    """One zip member, compressed: its name, CRC-32, uncompressed size and deflate stream."""

    name: str
    crc: int
    size: int
    data: bytes

    @functools.cached_property
    def local(self) -> bytes:
        """The member as it stands in the archive: its local header, then its data (made
        once: a template's unchanged members go into every document of a batch)."""
        return _local_header(self.name, self.crc, len(self.data), self.size) + self.data

    @functools.cached_property
    def _central(self) -> tuple[bytes, bytes]:
        record = _central_record(self.name, self.crc, len(self.data), self.size, 0)
        return record[:_OFFSET_AT], record[_OFFSET_AT + 4 :]

    def central(self, offset: int) -> bytes:
        """The member's central directory record, its local header at ``offset``."""
        if offset > _LIMIT:
            raise ValueError(_TOO_LARGE)
        before, after = self._central
        return before + offset.to_bytes(4, "little") + after


def deflate(name: str, data: bytes | Pieces) -> Entry:
    """Compress one member the way zipfile does (raw deflate, default level); a member given as
    :class:`Pieces` copies its already-compressed segments in."""
    if isinstance(data, Pieces):
        return data.deflate(name)
    compressor = _compressor(len(data))
    return Entry(name, zlib.crc32(data), len(data), compressor.compress(data) + compressor.flush())


_SMALL = 4096


def _compressor(size: int) -> zlib._Compress:
    """A raw-deflate compressor at the default level; for a small member (a letter's document
    properties) one with a window and tables of its size, the same output size at a third of
    the cost of setting up the full 32 KB window (which a batch pays for every letter)."""
    if size < _SMALL:
        return zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -12, 4)
    return zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)


@dataclass(frozen=True)
class Segment:
    """Bytes compressed once to be copied into many members: a raw deflate stream that starts
    and ends on a full flush, so that it needs nothing before it and can be followed by
    anything (RFC 1951 allows blocks to be concatenated at byte boundaries)."""

    data: bytes
    crc: int
    size: int
    raw: bytes

    @classmethod
    def of(cls, raw: bytes) -> Segment:
        """Compress ``raw`` into a segment."""
        compressor = _compressor(len(raw))
        data = compressor.compress(raw) + compressor.flush(zlib.Z_FULL_FLUSH)
        return cls(data, zlib.crc32(raw), len(raw), raw)

    def after(self, crc: int) -> int:
        """The CRC-32 of (bytes whose CRC-32 is ``crc``) + this segment: computed over a small
        segment, combined for a large one (an allocation table of a thousand units), whose cost
        then does not grow with its size."""
        if self.size <= _CRC_OVER:
            return zlib.crc32(self.raw, crc)
        return _gf2_times(self._shift, crc) ^ self.crc

    @functools.cached_property
    def _shift(self) -> tuple[int, ...]:
        """How the CRC of what comes before changes when this segment follows it (GF(2))."""
        return tuple(crc32_combine(1 << bit, 0, self.size) for bit in range(32))


_CRC_OVER = 64 * 1024
"""Up to this size a CRC is computed faster than combined."""
_LAST_BLOCK = b"\x03\x00"
"""An empty final block (fixed codes): what zlib ends a stream with when nothing follows."""


@dataclass(frozen=True)
class Pieces:
    """A member made of already-compressed :class:`Segment` s, in order."""

    items: tuple[Segment, ...]

    def joined(self) -> bytes:
        """The member's uncompressed bytes."""
        return b"".join(item.raw for item in self.items)

    def deflate(self, name: str) -> Entry:
        """The member compressed: each segment copied (its CRC combined, not recomputed, so
        the cost does not grow with the segment), then the stream's last block."""
        crc = size = 0
        for item in self.items:
            crc = item.after(crc)
            size += item.size
        data = b"".join([*(item.data for item in self.items), _LAST_BLOCK])
        return Entry(name, crc, size, data)


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """The CRC-32 of A + B from the CRC-32 of A, of B and the length of B (zlib's
    ``crc32_combine``, which Python's zlib does not offer)."""
    if length2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]  # the operator for one zero bit
    even = _gf2_square(odd)  # two zero bits
    odd = _gf2_square(even)  # four zero bits
    while True:
        even = _gf2_square(odd)  # apply len2 zeros to crc1, a bit of the length at a time
        if length2 & 1:
            crc1 = _gf2_times(even, crc1)
        length2 >>= 1
        if not length2:
            break
        odd = _gf2_square(even)
        if length2 & 1:
            crc1 = _gf2_times(odd, crc1)
        length2 >>= 1
        if not length2:
            break
    return crc1 ^ crc2


def _gf2_times(matrix: list[int] | tuple[int, ...], vector: int) -> int:
    total = 0
    index = 0
    while vector:
        if vector & 1:
            total ^= matrix[index]
        vector >>= 1
        index += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, row) for row in matrix]


def ordered(names: Iterable[str]) -> list[str]:
    """Member names in DOCX order: ``[Content_Types].xml`` first, then by name."""
    return sorted(names, key=lambda name: (name != _FIRST, name))


class ZipWriter:
    """Appends members to a binary file and writes the central directory on :meth:`close`."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._offset = 0
        self._directory: list[bytes] = []

    def add(self, entry: Entry) -> None:
        """Append an already-compressed member."""
        self._directory.append(entry.central(self._offset))
        self._write(entry.local)

    def open_member(self, name: str) -> MemberStream:
        """Start a member to be written in pieces; :meth:`MemberStream.close` completes its
        header afterwards, so the file must be seekable. Add nothing else until then."""
        start = self._offset
        self._write(_local_header(name, 0, 0, 0))
        return MemberStream(self, name, start)

    def close(self) -> None:
        """Write the central directory and the end record."""
        start = self._offset
        for record in self._directory:
            self._write(record)
        self._write(_end_record(len(self._directory), self._offset - start, start))

    def _write(self, data: bytes) -> None:
        self._handle.write(data)
        self._offset += len(data)

    def _central(self, name: str, crc: int, compressed: int, size: int, offset: int) -> None:
        self._directory.append(_central_record(name, crc, compressed, size, offset))


def _local_header(name: str, crc: int, compressed: int, size: int) -> bytes:
    encoded, flags = _encode(name)
    if compressed > _LIMIT or size > _LIMIT:
        raise ValueError(f"zip member {name} is larger than 4 GB")
    fields = (b"PK\x03\x04", _VERSION, 0, flags, _DEFLATED, _DOS_TIME, _DOS_DATE)
    return _LOCAL.pack(*fields, crc, compressed, size, len(encoded), 0) + encoded


def _central_record(name: str, crc: int, compressed: int, size: int, offset: int) -> bytes:
    encoded, flags = _encode(name)
    record = _CENTRAL.pack(
        b"PK\x01\x02",
        _VERSION,
        _MADE_ON_UNIX,
        _VERSION,
        0,
        flags,
        _DEFLATED,
        _DOS_TIME,
        _DOS_DATE,
        crc,
        compressed,
        size,
        len(encoded),
        0,
        0,
        0,
        0,
        _EXTERNAL_ATTR,
        offset,
    )
    return record + encoded


class MemberStream:
    """One member of a :class:`ZipWriter` being written: compresses and counts as it goes."""

    def __init__(self, writer: ZipWriter, name: str, start: int) -> None:
        self._writer = writer
        self._name = name
        self._start = start
        self._compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        self._crc = 0
        self._size = 0
        self._compressed = 0

    def write(self, data: bytes) -> None:
        """Append uncompressed bytes to the member."""
        self._crc = zlib.crc32(data, self._crc)
        self._size += len(data)
        self._emit(self._compressor.compress(data))

    def close(self) -> None:
        """Flush the member and write its real header."""
        self._emit(self._compressor.flush())
        writer = self._writer
        header = _local_header(self._name, self._crc, self._compressed, self._size)
        end = writer._handle.tell()
        writer._handle.seek(self._start)
        writer._handle.write(header)
        writer._handle.seek(end)
        writer._central(self._name, self._crc, self._compressed, self._size, self._start)

    def _emit(self, chunk: bytes) -> None:
        if chunk:
            self._writer._write(chunk)
            self._compressed += len(chunk)


def _encode(name: str) -> tuple[bytes, int]:
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), _UTF8_NAME


def pack_entries(entries: Iterable[Entry]) -> bytes:
    """A zip of already-compressed members, in the order given."""
    buffer = io.BytesIO()
    writer = ZipWriter(buffer)
    for entry in entries:
        writer.add(entry)
    writer.close()
    return buffer.getvalue()


def _end_record(count: int, size: int, start: int) -> bytes:
    """The end of central directory record: ``count`` records of ``size`` bytes at ``start``."""
    if count > 0xFFFF or start > _LIMIT:
        raise ValueError(_TOO_LARGE)
    return _END.pack(b"PK\x05\x06", 0, 0, count, count, size, start, 0)


def pack(members: dict[str, bytes]) -> bytes:
    """Zip ``name → bytes`` deterministically (deflated, fixed time, DOCX order)."""
    return pack_entries(deflate(name, members[name]) for name in ordered(members))


def normalize(data: bytes) -> bytes:
    """Re-zip a DOCX with fixed timestamps and ``[Content_Types].xml`` first."""
    return pack(read_members(data))


def unpacked_size(path: Path) -> int:
    """The total size of a zip file's members once unpacked, as its directory states them
    (0 for a file that is not a zip): what a zip bomb gives away before anything is read."""
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return 0


def read_members(data: bytes) -> dict[str, bytes]:
    """The uncompressed members of a DOCX, by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}
