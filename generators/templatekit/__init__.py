"""Generate the built-in DOCX templates in ``templates/`` from code.

The committed templates are exactly what :func:`build_all` writes (a test regenerates them and
compares), so a change of style is a change of code here, reviewed like any other.
Run ``python -m huiwu.templatekit`` after changing a layout or a style.
"""

from __future__ import annotations

import io
from pathlib import Path

from huiwu.render import docxzip
from huiwu.templatekit.layouts import TEMPLATES
from huiwu.templates import BUILTIN_DIR


def build(stem: str) -> bytes:
    """The bytes of one built-in template."""
    document = TEMPLATES[stem]()
    buffer = io.BytesIO()
    document.save(buffer)
    return docxzip.normalize(buffer.getvalue())


def build_all(target: Path = BUILTIN_DIR) -> list[Path]:
    """Write every built-in template into ``target``; return the paths written."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for stem in TEMPLATES:
        path = target / f"{stem}.docx"
        path.write_bytes(build(stem))
        written.append(path)
    return written
