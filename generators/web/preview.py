"""Page images of the documents, the way they print: DOCX → PDF (LibreOffice) → PNG (pdfium).

Rendering a DOCX in memory takes milliseconds, LibreOffice about a second, so the images are kept
by the SHA-256 of the DOCX bytes (the same inputs always give the same bytes): after an edit only
the documents whose content changed go through LibreOffice again, all in one batch.
"""

from __future__ import annotations

import hashlib
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from huiwu.web import backend

SCALE = 1.0
"""PDF points to pixels: an A4 page is 595 × 842 px, readable on screen, small to send."""


@dataclass(frozen=True)
class Document:
    """One document's preview: its kind, name and page images (by content hash)."""

    kind: str
    name: str
    digest: str
    pages: int
    error: str | None = None


class Previews:
    """The page images of every meeting's documents, kept by content in one cache folder."""

    def __init__(self, folder: Path | None = None) -> None:
        self._temporary = None if folder else tempfile.TemporaryDirectory(prefix="huiwu-preview-")
        self.folder = folder or Path(self._temporary.name)  # type: ignore[union-attr]
        self._pages: dict[str, int] = {}
        self._lock = threading.Lock()

    def refresh(
        self,
        definition: Path,
        *,
        text: str | None = None,
        data: Path | None = None,
        templates: Path | None = None,
    ) -> list[Document]:
        """Every available document of the definition, with images made for the changed ones."""
        infos = [info for info in backend.kinds(definition, text=text) if info.available]
        rendered: list[tuple[backend.KindInfo, bytes | None, str | None]] = []
        for info in infos:
            try:
                docx = backend.preview(
                    definition, info.id, text=text, data=data, templates=templates
                )
                rendered.append((info, docx, None))
            except backend.HuiwuError as exc:
                rendered.append((info, None, str(exc)))
        with self._lock:
            self._convert([docx for _, docx, _ in rendered if docx is not None])
            return [
                Document(info.id, info.name, _digest(docx), self._pages.get(_digest(docx), 0))
                if docx is not None
                else Document(info.id, info.name, "", 0, error)
                for info, docx, error in rendered
            ]

    def page(self, digest: str, number: int) -> Path | None:
        """The PNG of one page, if it was made."""
        if digest not in self._pages or not 1 <= number <= self._pages[digest]:
            return None
        return self.folder / digest / f"{number}.png"

    def _convert(self, documents: list[bytes]) -> None:
        todo = {}
        for docx in documents:
            digest = _digest(docx)
            if digest not in self._pages:
                todo[digest] = docx
        if not todo:
            return
        with tempfile.TemporaryDirectory(dir=self.folder) as scratch:
            sources = []
            for digest, docx in todo.items():
                source = Path(scratch) / f"{digest}.docx"
                source.write_bytes(docx)
                sources.append(source)
            pdfs = backend.to_pdf(sources, out_dir=Path(scratch))
            for digest, pdf in zip(todo, pdfs, strict=True):
                self._pages[digest] = _page_images(pdf, self.folder / digest)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def _page_images(pdf: Path, folder: Path) -> int:
    import pypdfium2

    folder.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            image = page.render(scale=SCALE).to_pil()
            image.save(folder / f"{index + 1}.png", compress_level=1)
            page.close()
        return len(document)
    finally:
        document.close()
