"""File names made from what users typed (meeting titles, unit names), safe on every system.

Office staff open the output on Windows, where ``/ \\ : * ? " < > |`` and control characters are
not allowed in names, trailing dots and spaces are dropped, ``CON`` or ``NUL`` name devices,
and names differing only in case are the same file; a leading dot hides a file elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

MAX_STEM = 80
"""Characters kept of a name, so that paths stay well within Windows' 260."""
MAX_STEM_BYTES = 240
"""UTF-8 bytes kept of a name: file systems allow 255 bytes, a CJK character takes three (four
beyond the basic plane); a staging name (``.名称.xxxxxxxx.tmp``) or a suffix adds 15 at most."""

_UNSAFE = frozenset('/\\:*?"<>|') | frozenset(chr(code) for code in range(32)) | {"\x7f"}
_REPLACED = str.maketrans(dict.fromkeys(_UNSAFE, "_"))
_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{port}{n}" for port in ("COM", "LPT") for n in range(1, 10)]
)


def safe_name(name: str, fallback: str = "未命名") -> str:
    """``name`` as a file or folder name every system accepts (without an extension)."""
    cleaned = name.translate(_REPLACED)
    cleaned = _fit_bytes(cleaned.strip(" .")[:MAX_STEM]).rstrip(" .")
    if cleaned.split(".", 1)[0].upper() in _DEVICES:
        cleaned = "_" + cleaned
    return cleaned or fallback


def _fit_bytes(name: str) -> str:
    if len(name) * 4 <= MAX_STEM_BYTES:  # no character takes more than four bytes
        return name
    while len(name.encode("utf-8", "surrogatepass")) > MAX_STEM_BYTES:
        name = name[:-1]
    return name


def unique_names(stems: Sequence[str], suffix: str, taken: Iterable[str] = ()) -> list[str]:
    """``safe_name(stem) + suffix`` for each stem, later ones that collide (ignoring case, as
    Windows does) numbered ``（2）``, ``（3）`` … in order, avoiding the names in ``taken``."""
    numbered = renamed(stems, suffix, taken)
    return [numbered.get(index) or safe_name(stem) + suffix for index, stem in enumerate(stems)]


def renamed(stems: Iterable[str], suffix: str, taken: Iterable[str] = ()) -> dict[int, str]:
    """The names :func:`unique_names` numbers, by the stem's position: every other stem's name
    is ``safe_name(stem) + suffix``, made again when needed rather than kept (the names of ten
    thousand letters are a megabyte)."""
    used = {name.casefold() for name in taken}
    numbered = {}
    for index, stem in enumerate(stems):
        base = safe_name(stem)
        name, copy = base + suffix, 1
        while name.casefold() in used:
            copy += 1
            name = f"{base}（{copy}）{suffix}"
        used.add(name.casefold())
        if copy > 1:
            numbered[index] = name
    return numbered
