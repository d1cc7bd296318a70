"""Blocks: the paragraphs of a document body, each with one of a fixed set of styles.

Context builders describe a body as a list of blocks; every template renders that list with one
generic loop (see :mod:`huiwu.templatekit.layouts`) that has one example paragraph per style.
So the wording lives in Python, the look lives in the DOCX template where users can restyle it,
and the two meet only through the style names below.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from huiwu.render.frozen import Frozen
from huiwu.text import cn
from huiwu.text.typeset import keep_units_together

BLOCK_STYLES: tuple[str, ...] = (
    "h1",  # 一、 heading line (黑体)
    "h2",  # （一） heading line (楷体)
    "h3",  # 1. heading line (仿宋)
    "h4",  # （1） heading line (仿宋)
    "lead1",  # a paragraph that opens with a level-1 heading run, then body text
    "lead2",
    "lead3",
    "lead4",
    "body",  # ordinary paragraph, first line indented two characters
    "tail",  # the last body paragraph before a signature: kept on the signature's page
    "plain",  # flush left, e.g. 同志们：
    "center",  # centred line in body type, e.g. （散会）
    "right",  # flush right, e.g. a date line without signature
    "blank",  # an empty line
    "table",  # a table of one row per unit (work reports and speeches; see UnitTableContext)
)


@dataclass(frozen=True)
class Block:
    """One paragraph of a document body."""

    style: str
    text: str = ""
    head: str = ""
    table: dict[str, Any] | None = field(default=None, compare=False)
    """For a ``table`` block: ``{columns, rows: [{no, unit, cells}], total: {unit, cells}}``."""

    def __post_init__(self) -> None:
        if self.style not in BLOCK_STYLES:
            raise ValueError(f"unknown block style {self.style!r}")

    @functools.cached_property
    def shared_context(self) -> dict[str, Any]:
        """:meth:`as_context` made read-only, the same mapping for every equal paragraph."""
        return _paragraph(self)

    def as_context(self) -> dict[str, Any]:
        """The block as template context: ``{style, text, head}``, its text with a line
        break before any short unit (（10分）) that would straddle a line end."""
        text = self.text
        indent = _INDENTS.get(self.style)
        if indent is not None:
            laid = keep_units_together(self.head + text, indent)
            if laid != self.head + text:
                text = laid[len(self.head) :] if laid.startswith(self.head) else text
        context: dict[str, Any] = {"style": self.style, "text": text, "head": self.head}
        if self.table is not None:
            context["table"] = self.table
        return context


# First-line indent, in characters, of the styles whose lines wrap on the body's grid.
_INDENTS: dict[str, float] = {
    **{f"h{level}": 2 for level in range(1, 5)},
    **{f"lead{level}": 2 for level in range(1, 5)},
    "body": 2,
    "tail": 2,
    "plain": 0,
}


def body(text: str) -> Block:
    """An ordinary paragraph."""
    return Block("body", text)


def plain(text: str) -> Block:
    """A flush-left paragraph."""
    return Block("plain", text)


def center(text: str) -> Block:
    """A centred line in body type."""
    return Block("center", text)


def blank() -> Block:
    """An empty line."""
    return Block("blank")


def heading(level: int, number: int, text: str) -> Block:
    """A numbered heading on a line of its own: ``heading(2, 3, "抓组织")`` → ``（三）抓组织``."""
    return Block(f"h{level}", cn.heading_number(level, number) + text)


def lead(level: int, number: int, head: str, text: str) -> Block:
    """A paragraph opened by a numbered heading in that level's type, then body text."""
    return Block(f"lead{level}", text, cn.heading_number(level, number) + head)


@dataclass
class Section:
    """A node of a numbered sections tree: a heading, its paragraphs, and sub-sections.

    Paragraphs are body text, or ready-made blocks (e.g. a numbered list). ``inline`` puts the
    heading at the start of the first paragraph (``（一）加强领导。…``) instead of on a line
    of its own.
    """

    title: str
    paragraphs: Sequence[str | Block] = ()
    children: Sequence[Section] = field(default_factory=list)
    inline: bool = False


def number_sections(sections: Iterable[Section], level: int = 1) -> list[Block]:
    """Flatten a sections tree into blocks, numbering each level 一、（一）1.（1）."""
    blocks: list[Block] = []
    for number, section in enumerate(sections, start=1):
        paragraphs = list(section.paragraphs)
        if section.inline and paragraphs and isinstance(paragraphs[0], str):
            blocks.append(lead(level, number, _with_stop(section.title), paragraphs.pop(0)))
        else:
            blocks.append(heading(level, number, section.title))
        blocks.extend(p if isinstance(p, Block) else body(p) for p in paragraphs)
        if section.children:
            if level >= 4:
                raise ValueError("公文的标题最多四级（一、（一）1.（1））")
            blocks.extend(number_sections(section.children, level + 1))
    return blocks


def _with_stop(title: str) -> str:
    """An inline heading ends with a full stop unless it already ends in punctuation."""
    return title if title.endswith(("。", "：", "？", "！", "；")) else title + "。"


def keep_with_signature(blocks: list[Block]) -> list[Block]:
    """Mark the last paragraph to stay on the page of the signature that follows it, so that
    the issuer and date never stand on a page of their own (GB/T 9704 §7.3.5)."""
    if blocks and blocks[-1].style == "body":
        return [*blocks[:-1], Block("tail", blocks[-1].text)]
    return blocks


def as_context(blocks: Iterable[Block]) -> list[dict[str, Any]]:
    """Blocks as template context. Equal paragraphs give the same mapping (templates only read
    it): a batch of letters repeats most of its paragraphs in every letter, most of them the
    very same blocks (:func:`huiwu.documents.letter._section`), which keep their mapping."""
    return [b.shared_context if b.table is None else b.as_context() for b in blocks]


@functools.lru_cache(maxsize=4096)
def _paragraph(block: Block) -> dict[str, Any]:
    return Frozen(block.as_context())
