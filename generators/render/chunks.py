"""Paragraphs deflated once for a whole batch, in pieces cut where their own text says.

Deflating a letter's document part costs as much as the rest of writing the letter, yet most
of its paragraphs are, to the byte, those of every other letter. A remembered loop
(:mod:`huiwu.render.loops`) hands its items' texts here; consecutive items are gathered into a
chunk, each chunk is compressed once into a :class:`~huiwu.render.docxzip.Segment` and copied
into every document that has it, and the document holds a marker where the chunk goes.

Where a chunk ends is decided by its last item's text alone (its length), never by what was
rendered before: a document's bytes are the same in any batch, in any order, on any number of
cores. A paragraph of one unit's own (its quota) changes the chunk it is in, not the others.

What stands between the loops (a letter's title and parties, its signature and the end of the
part) is compressed apart the same way (:meth:`Chunks.between`), so that a document part is
made of compressed pieces only and the signature every letter has is compressed once.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from huiwu.render.docxzip import Segment
from huiwu.render.loops import remember

MARKER = "\ue000huiwu-chunk-{}\ue001"
PATTERN = "\ue000huiwu-chunk-\\d+\ue001"
_NUMBER = re.compile("\ue000huiwu-chunk-(\\d+)\ue001")

_EVERY = 6
"""An item whose text's length is a multiple of this ends a chunk: chunks of six paragraphs on
average, so that a paragraph of the unit's own makes few others compressed again, while each
chunk is long enough to compress nearly as well as the whole."""
_KEPT = 512
"""Chunks remembered, the least recently used forgotten first: a unit's own chunk is soon."""
_LARGEST = 64 * 1024
"""A longer chunk is compressed for its document and not kept."""
_UNKNOWN: Any = object()


class Chunks:
    """The chunks of one document part: those compressed so far, and the current document's.

    ``finish`` turns an item's rendered text into the XML written (what the whole part gets
    after its render); ``inline`` says of finished XML that it must stay in the part's text (a
    table or drawing the part's clean-up still has to see)."""

    def __init__(self, finish: Callable[[str], str], inline: Callable[[str], bool]) -> None:
        self._finish = finish
        self._inline = inline
        self._known: OrderedDict[tuple[str, ...], Segment | None] = OrderedDict()
        """Chunks by their items' texts: the texts of remembered items are the same objects in
        every document, so a chunk is found without joining its texts or hashing them again."""
        self._between: OrderedDict[str, Segment] = OrderedDict()
        """The finished XML between a part's loops and shared blocks (its title, its
        signature), compressed apart too: most of it is the same in every document."""
        self.enabled = False
        """Whether documents are assembled from pieces (else items are joined as text)."""
        self._current: list[Segment] = []

    def start(self) -> None:
        """Begin a document: markers count from 0 again."""
        self._current = []

    def gather(self, texts: list[str]) -> str:
        """The items' texts as the document has them: markers of chunks, or the text itself."""
        if not self.enabled:
            return "".join(texts)
        out: list[str] = []
        first = 0
        for index, text in enumerate(texts):
            if len(text) % _EVERY == 0:
                out.append(self._placed(tuple(texts[first : index + 1])))
                first = index + 1
        if first < len(texts):
            out.append(self._placed(tuple(texts[first:])))
        return "".join(out)

    def between(self, xml: str) -> Segment:
        """Finished XML that stands between chunks and shared blocks, compressed (once while
        it recurs)."""
        segment = self._between.get(xml)
        if segment is None:
            segment = Segment.of(xml.encode("utf-8"))
            remember(self._between, xml, segment, size=len(xml), largest=_LARGEST, most=_KEPT)
        else:
            self._between.move_to_end(xml)
        return segment

    def segment(self, marker: str) -> Segment:
        """The chunk a marker of the current document stands for."""
        found = _NUMBER.fullmatch(marker)
        assert found is not None, marker
        return self._current[int(found.group(1))]

    def _placed(self, items: tuple[str, ...]) -> str:
        segment = self._known.get(items, _UNKNOWN)
        if segment is _UNKNOWN:
            text = "".join(items)
            segment = self._compressed(text)
            remember(self._known, items, segment, size=len(text), largest=_LARGEST, most=_KEPT)
        else:
            self._known.move_to_end(items)
        if segment is None:
            return "".join(items)
        self._current.append(segment)
        return MARKER.format(len(self._current) - 1)

    def _compressed(self, text: str) -> Segment | None:
        xml = self._finish(text)
        if not xml or self._inline(xml):
            return None
        return Segment.of(xml.encode("utf-8"))
