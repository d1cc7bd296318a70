"""The text of a document's paragraphs, as a reader sees it: what proofreading reads in the
packet, and what template errors quote to show where they are."""

from __future__ import annotations

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def paragraph_texts(document_xml: bytes | str) -> list[str]:
    """The text of every paragraph of ``word/document.xml`` (table cells included), in order."""
    data = document_xml.encode("utf-8") if isinstance(document_xml, str) else document_xml
    root = etree.fromstring(data)
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]
