"""Write DOCX zips deterministically: the same document always gives the same bytes.

python-docx stamps every zip entry with the current time; offices keep packets in version
folders and compare them, so huiwu rewrites the archive with a fixed timestamp and a fixed
member order.
"""

from __future__ import annotations

import io
import zipfile

FIXED_TIME = (1980, 1, 1, 0, 0, 0)

# Word expects [Content_Types].xml first; the rest follow in a stable order.
_FIRST = "[Content_Types].xml"


def normalize(data: bytes) -> bytes:
    """Re-zip a DOCX with fixed timestamps and ``[Content_Types].xml`` first."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    return pack(members)


def pack(members: dict[str, bytes]) -> bytes:
    """Zip ``name → bytes`` deterministically (deflated, fixed time, stable order)."""
    order = sorted(members, key=lambda name: (name != _FIRST, name))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in order:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name])
    return buffer.getvalue()


def read_members(data: bytes) -> dict[str, bytes]:
    """The uncompressed members of a DOCX, by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}
