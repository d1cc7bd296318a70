"""The same PDF bytes for the same documents, whatever LibreOffice process made them.

A LibreOffice PDF carries four things that do not come from the document:

- the export time (``/CreationDate``), with the time zone;
- a random file identifier (``/ID``) and a checksum (``/DocChecksum``);
- in every embedded Type 1 font, a ``/UniqueID`` that LibreOffice counts up with every font it
  embeds in the life of the process: the third document a running LibreOffice converts gets
  other numbers than the first, so the bytes of a PDF would depend on what was converted
  before it (in a warm LibreOffice, or a batch given to one process).

:func:`make_reproducible` replaces the time by 1980-01-01 UTC, each font's ``/UniqueID`` by
its place in the file (what a fresh LibreOffice writes for the first document it converts), and
the identifier and checksum by a digest of the result. A font rewritten this way is compressed
again and the cross-reference table rebuilt.

This module needs only the standard library: the warm LibreOffice's conversion loop
(``uno_worker.py``, run by LibreOffice's Python) loads it from this folder and applies it in
its own process.
"""

from __future__ import annotations

import array
import functools
import hashlib
import re
import zlib

_DATE = re.compile(rb"/(CreationDate|ModDate)\(D:\d{14}[^)]*\)")
_ID = re.compile(rb"/ID \[ ?<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)> ?\]")
_CHECKSUM = re.compile(rb"/DocChecksum /([0-9A-Fa-f]+)")
_TYPE1 = re.compile(
    rb"<</Length (?P<ref>\d+) 0 R/Filter/FlateDecode"
    rb"/Length1 (?P<l1>\d+)/Length2 (?P<l2>\d+)/Length3 (?P<l3>\d+)>>(?P<eol>\r?\n)stream\r?\n"
)
_UNIQUE_ID = re.compile(rb"/UniqueID (\d+) def")
_FIRST_UNIQUE_ID = 4100000  # LibreOffice's first Type 1 subset in a process is 4100001
_EEXEC_KEY = 55665


def make_reproducible(data: bytes) -> bytes:
    """``data`` (a PDF from LibreOffice) with nothing left that depends on when or in which
    process it was made; see the module docstring."""
    data, moved = _canonical_fonts(data)
    dated = _DATE.sub(rb"/\1(D:19800101000000Z')", data)
    if len(dated) != len(data):
        moved = True
    data = dated
    if moved:
        data = _rebuild_xref(data)
    blank = _ID.sub(lambda m: m.group(0).replace(m.group(1), b"0" * len(m.group(1))), data)
    blank = _CHECKSUM.sub(lambda m: m.group(0).replace(m.group(1), b"0" * len(m.group(1))), blank)
    digest = _md5(blank).upper().encode()
    data = _ID.sub(lambda m: _same_length(m, digest), data)
    return _CHECKSUM.sub(lambda m: m.group(0).replace(m.group(1), digest[: len(m.group(1))]), data)


def _md5(data: bytes) -> str:
    try:
        return hashlib.md5(data, usedforsecurity=False).hexdigest()
    except TypeError:  # Python 3.8, as LibreOffice ships it, runs this module too
        return hashlib.md5(data).hexdigest()


def _same_length(match: re.Match[bytes], digest: bytes) -> bytes:
    text = match.group(0)
    for group in (1, 2):
        old = match.group(group)
        text = text.replace(old, (digest * 2)[: len(old)], 1)
    return text


def _canonical_fonts(data: bytes) -> tuple[bytes, bool]:
    """Each Type 1 font's ``/UniqueID`` set to its place in the file; whether bytes moved."""
    pieces: list[bytes] = []
    lengths: dict[int, int] = {}
    position = 0
    for ordinal, match in enumerate(_TYPE1.finditer(data), start=1):
        ref = int(match.group("ref"))
        size = _stream_length(data, ref)
        if size is None:
            return data, False
        compressed = data[match.end() : match.end() + size]
        try:
            font = zlib.decompress(compressed)
        except zlib.error:
            return data, False
        cut = (int(match.group("l1")), int(match.group("l2")))
        font, (clear, crypted) = _renumber_type1(font, cut, _FIRST_UNIQUE_ID + ordinal)
        # Compressed again even when unchanged: LibreOffice's own compression of a font
        # differs from zlib's, and a PDF must not depend on which of the two wrote it.
        compressed = zlib.compress(font, 6)
        header = (
            b"<</Length %d 0 R/Filter/FlateDecode/Length1 %d/Length2 %d/Length3 %s>>%sstream\n"
            % (ref, clear, crypted, match.group("l3"), match.group("eol"))
        )
        pieces += [data[position : match.start()], header, compressed]
        position = match.end() + size
        lengths[ref] = len(compressed)
    if not lengths:
        return data, False
    pieces.append(data[position:])
    data = b"".join(pieces)
    for ref, size in lengths.items():
        data = re.sub(
            rb"(\n%d 0 obj\r?\n)\d+(\r?\nendobj)" % ref, rb"\g<1>%d\g<2>" % size, data, count=1
        )
    return data, True


def _stream_length(data: bytes, ref: int) -> int | None:
    found = re.search(rb"\n%d 0 obj\r?\n(\d+)\r?\nendobj" % ref, data)
    return int(found.group(1)) if found else None


def _renumber_type1(
    font: bytes, cut: tuple[int, int], unique_id: int
) -> tuple[bytes, tuple[int, int]]:
    """The font (clear part, eexec part, trailer) with ``/UniqueID`` set in both of the first
    two parts, and the new lengths of those two."""
    clear, crypted, trailer = font[: cut[0]], font[cut[0] : cut[0] + cut[1]], font[sum(cut) :]
    wanted = b"/UniqueID %d def" % unique_id
    found = _UNIQUE_ID.search(clear)
    if found is None or found.group(0) == wanted:
        return font, cut
    clear = clear[: found.start()] + wanted + clear[found.end() :]
    return clear + _eexec_renumber(crypted, wanted) + trailer, (len(clear), cut[1])


def _eexec_renumber(crypted: bytes, wanted: bytes) -> bytes:
    """The eexec-encrypted part with its ``/UniqueID … def`` replaced by ``wanted`` (of the
    same length; the cipher chains every byte to the one before, so all after it changes)."""
    found = _eexec_unique_id(crypted)
    if found is None or len(found.group(0)) != len(wanted):
        whole = _UNIQUE_ID.sub(wanted, _eexec_decrypt(crypted), count=1)
        return _eexec_encrypt(whole)
    # Bytes before the first digit that differs keep their cipher text and key.
    first = found.start()
    while wanted[first - found.start()] == found.string[first]:
        first += 1
        if first == found.end():
            return crypted
    step = _next_keys()
    key = _EEXEC_KEY
    for cipher in crypted[:first]:
        key = step[cipher + key]
    old = new = key
    out = []
    for index in range(first, found.end()):  # the new digits
        cipher = crypted[index]
        old = step[cipher + old]
        changed = wanted[index - found.start()] ^ (new >> 8)
        new = step[changed + new]
        out.append(changed)
    for cipher in crypted[found.end() :]:  # the same text under the changed key: c ^ old ^ new
        changed = cipher ^ ((old ^ new) >> 8)
        old = step[cipher + old]
        new = step[changed + new]
        out.append(changed)
    return crypted[:first] + bytes(out)


def _eexec_unique_id(crypted: bytes) -> re.Match[bytes] | None:
    """The ``/UniqueID … def`` in the decrypted private dict, whose entries come first: looked
    for in its first 512 bytes, then its first 2048 (decrypting costs a step per byte)."""
    found = None
    for size in (512, 2048):
        found = _UNIQUE_ID.search(_eexec_decrypt(crypted[:size]))
        if found is not None or size >= len(crypted):
            break
    return found


@functools.lru_cache(maxsize=None)  # noqa: UP033 - functools.cache is not in Python 3.8
def _next_keys() -> array.array[int]:
    """The cipher's next key for each sum of key and cipher byte: one look-up a byte instead of
    a multiplication, an addition and a mask, in loops that run once for each byte of a font.
    An array of 16-bit numbers (128 KB) stays in the processor's cache beside LibreOffice; a
    tuple of Python numbers (2.4 MB) was a third slower there."""
    return array.array("H", [(total * 52845 + 22719) & 0xFFFF for total in range(0x10100)])


def _eexec_decrypt(data: bytes) -> bytes:
    step = _next_keys()
    key = _EEXEC_KEY
    out = []
    for cipher in data:
        out.append(cipher ^ (key >> 8))
        key = step[cipher + key]
    return bytes(out)


def _eexec_encrypt(data: bytes) -> bytes:
    step = _next_keys()
    key = _EEXEC_KEY
    out = []
    for plain in data:
        cipher = plain ^ (key >> 8)
        out.append(cipher)
        key = step[cipher + key]
    return bytes(out)


_XREF = re.compile(rb"\nxref\r?\n0 (\d+)\r?\n")
# Led by a newline (one is put before the file for an object at its very start): a pattern that
# begins with a fixed byte is searched for quickly, one that may also match at the start of the
# file is tried at every position, twenty times slower.
_OBJECT = re.compile(rb"\n(\d+) 0 obj\b")


def _rebuild_xref(data: bytes) -> bytes:
    """The cross-reference table and ``startxref`` recomputed after objects moved."""
    table = list(_XREF.finditer(data))
    if len(table) != 1:
        return data
    match = table[0]
    count = int(match.group(1))
    offsets: dict[int, int] = {}
    for found in _OBJECT.finditer(b"\n" + data, 0, match.start() + 1):
        offsets.setdefault(int(found.group(1)), found.start(1) - 1)
    if any(number not in offsets for number in range(1, count)):
        return data
    entries = [b"0000000000 65535 f \n"]
    entries += [b"%010d 00000 n \n" % offsets[number] for number in range(1, count)]
    start = match.start() + 1
    end = match.end() + 20 * count
    data = data[: match.end()] + b"".join(entries) + data[end:]
    return re.sub(rb"startxref\r?\n\d+", b"startxref\n%d" % start, data)
